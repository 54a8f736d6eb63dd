#include "oci/manifest.hpp"

#include <nlohmann/json.hpp>

#include "infra/json/untrusted_json.hpp"
#include "oci/reference.hpp"
#include "util/byte_size.hpp"

namespace chartprov::oci {
namespace {

using nlohmann::json;

Result<std::string> opt_string(const json& j, const char* name) {
  const auto it = j.find(name);
  if (it == j.end() || it->is_null()) return std::string();
  if (!it->is_string()) return input_error(std::string("\"") + name + "\" must be a string");
  return it->get<std::string>();
}

Result<std::map<std::string, std::string>> annotations_of(const json& j) {
  std::map<std::string, std::string> out;
  const auto it = j.find("annotations");
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_object() || it->size() > 1000) return input_error("annotations must be an object of strings");
  for (const auto& [k, v] : it->items()) {
    if (!v.is_string()) return input_error("annotation " + k + " is not a string");
    out[k] = v.get<std::string>();
  }
  return out;
}

Result<Descriptor> parse_descriptor(const json& j) {
  if (!j.is_object()) return input_error("a descriptor is not an object");
  Descriptor d;
  TRY(d.media_type, opt_string(j, "mediaType"));
  TRY(d.digest, opt_string(j, "digest"));
  if (!is_sha256_digest(d.digest)) return input_error("descriptor digest \"" + d.digest + "\" is not sha256:<64 hex>");
  const auto size = j.find("size");
  if (size == j.end() || !size->is_number_integer() || size->get<std::int64_t>() < 0) {
    return input_error("descriptor " + d.digest + " has no valid size");
  }
  d.size = size->get<std::int64_t>();
  TRY(d.artifact_type, opt_string(j, "artifactType"));
  TRY(d.annotations, annotations_of(j));
  return d;
}

Result<json> parse_object(std::string_view text) {
  if (text.size() > kMaxManifest) return input_error("manifest larger than " + byte_size_text(kMaxManifest));
  json j = parse_untrusted_json(text);
  if (j.is_discarded() || !j.is_object()) return input_error("manifest is not a JSON object");
  const auto v = j.find("schemaVersion");
  if (v == j.end() || !v->is_number_integer() || v->get<int>() != 2) return input_error("schemaVersion must be 2");
  return j;
}

}  // namespace

Result<const Descriptor*> Manifest::layer(std::string_view wanted) const {
  const Descriptor* found = nullptr;
  for (const auto& l : layers) {
    if (l.media_type != wanted) continue;
    if (found != nullptr) return input_error("the manifest has more than one " + std::string(wanted) + " layer");
    found = &l;
  }
  return found;
}

Result<Manifest> parse_manifest(std::string_view text) {
  TRY(const json j, parse_object(text));
  Manifest m;
  TRY(m.media_type, opt_string(j, "mediaType"));
  if (!m.media_type.empty() && m.media_type != kOciManifest && m.media_type != kDockerManifest) {
    return input_error("not an image manifest (" + m.media_type + ")");
  }
  if (j.contains("manifests")) return input_error("an index, not a manifest");
  TRY(m.artifact_type, opt_string(j, "artifactType"));
  const auto config = j.find("config");
  if (config == j.end()) return input_error("manifest without config");
  TRY(m.config, parse_descriptor(*config));
  const auto layers = j.find("layers");
  if (layers == j.end() || !layers->is_array()) return input_error("manifest without layers");
  if (layers->size() > kMaxLayers) return input_error("more than 1000 layers");
  for (const auto& l : *layers) {
    TRY(Descriptor d, parse_descriptor(l));
    m.layers.push_back(std::move(d));
  }
  if (const auto s = j.find("subject"); s != j.end() && !s->is_null()) {
    TRY(m.subject, parse_descriptor(*s));
  }
  TRY(m.annotations, annotations_of(j));
  return m;
}

Result<Index> parse_index(std::string_view text) {
  TRY(const json j, parse_object(text));
  TRY(const std::string media_type, opt_string(j, "mediaType"));
  if (!media_type.empty() && media_type != kOciIndex) return input_error("not an image index (" + media_type + ")");
  const auto list = j.find("manifests");
  if (list == j.end() || !list->is_array()) return input_error("index without manifests");
  if (list->size() > kMaxLayers) return input_error("more than 1000 manifests");
  Index idx;
  for (const auto& m : *list) {
    TRY(Descriptor d, parse_descriptor(m));
    idx.manifests.push_back(std::move(d));
  }
  return idx;
}

}  // namespace chartprov::oci
