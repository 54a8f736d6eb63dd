#include "oci/referrers.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "infra/json/untrusted_json.hpp"
#include "util/byte_size.hpp"

namespace chartprov::oci {
namespace {

using nlohmann::ordered_json;

template <typename Json>
Json descriptor_json(const Descriptor& d) {
  Json j = {{"mediaType", d.media_type}, {"digest", d.digest}, {"size", d.size}};
  if (!d.artifact_type.empty()) j["artifactType"] = d.artifact_type;
  if (!d.annotations.empty()) {
    Json a = Json::object();
    for (const auto& [k, v] : d.annotations) a[k] = v;
    j["annotations"] = a;
  }
  return j;
}

}  // namespace

Descriptor referrer_descriptor(const Manifest& referrer, std::string_view digest, std::int64_t size) {
  Descriptor d;
  d.media_type = referrer.media_type.empty() ? std::string(kOciManifest) : referrer.media_type;
  d.digest = std::string(digest);
  d.size = size;
  d.artifact_type = referrer.artifact_type.empty() ? referrer.config.media_type : referrer.artifact_type;
  d.annotations = referrer.annotations;
  return d;
}

Result<std::optional<std::string>> add_to_referrers_index(std::optional<std::string_view> current,
                                                          const Descriptor& referrer) {
  if (!current) {
    const ordered_json index = {{"schemaVersion", 2},
                                {"mediaType", std::string(kOciIndex)},
                                {"manifests", ordered_json::array({descriptor_json<ordered_json>(referrer)})}};
    return std::optional<std::string>(index.dump());
  }
  auto listed = parse_index(*current);
  if (!listed) return input_error("the referrers tag holds no image index: " + listed.error().message);
  for (const auto& d : listed->manifests) {
    if (d.digest == referrer.digest) return std::optional<std::string>();
  }
  if (listed->manifests.size() >= kMaxLayers) {
    return input_error("the referrers index is full (" + std::to_string(kMaxLayers) + " manifests)");
  }
  // The document as it was, one entry more: fields chartprov does not read stay.
  nlohmann::json doc = parse_untrusted_json(*current);
  doc["manifests"].push_back(descriptor_json<nlohmann::json>(referrer));
  std::string text = doc.dump();
  if (text.size() > kMaxManifest)
    return input_error("the referrers index would be larger than " + byte_size_text(kMaxManifest));
  return std::optional<std::string>(std::move(text));
}

Result<std::vector<Descriptor>> bundle_referrers(const std::vector<Index>& listings) {
  std::vector<Descriptor> out;
  std::set<std::string> seen;
  for (const auto& listing : listings) {
    for (const auto& d : listing.manifests) {
      if (d.artifact_type != kBundleV03 || !seen.insert(d.digest).second) continue;
      if (out.size() == kMaxBundleReferrers) {
        return input_error("more than " + std::to_string(kMaxBundleReferrers) + " Sigstore bundle referrers");
      }
      out.push_back(d);
    }
  }
  return out;
}

}  // namespace chartprov::oci
