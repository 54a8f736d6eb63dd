#include "app/sign/oci_legacy_sign.hpp"

#include <nlohmann/json.hpp>

#include "envelope/cosign/blob_signature.hpp"
#include "infra/openssl/digest.hpp"
#include "oci/cosign_signature.hpp"
#include "oci/manifest.hpp"
#include "oci/reference.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

ordered_json descriptor_json(const oci::Descriptor& d) {
  ordered_json j = {{"mediaType", d.media_type}, {"digest", d.digest}, {"size", d.size}};
  if (!d.annotations.empty()) {
    ordered_json a = ordered_json::object();
    for (const auto& [k, v] : d.annotations) a[k] = v;
    j["annotations"] = a;
  }
  return j;
}

}  // namespace

Result<OciLegacySignature> attach_legacy_signature(OciSession& session, std::string_view registry,
                                                   std::string_view repo_name, std::string_view manifest_digest,
                                                   const OpenedSigner& signer) {
  const std::string repo(repo_name);
  const signer::Signer& s = *signer.signer;
  OciLegacySignature out;
  // What cosign signs: the payload naming this digest, with the key's algorithm.
  const std::string payload = oci::simple_signing_payload(std::string(registry) + "/" + repo, manifest_digest);
  TRY(const Bytes signature, s.sign_message(as_bytes(payload)));
  if (!cosign::verify_blob(s.public_key(), as_bytes(payload), signature)) {
    return verify_error(s.describe() + " made a signature that does not verify");
  }
  oci::Descriptor layer;
  layer.media_type = std::string(oci::kSimpleSigning);
  layer.digest = crypto::sha256_digest(as_bytes(payload));
  layer.size = static_cast<std::int64_t>(payload.size());
  layer.annotations[std::string(oci::kSignatureAnnotation)] = base64_encode(signature);

  out.tag = oci::signature_tag(manifest_digest);
  TRY(auto existing, session.run(json::array({{{"op", "get-manifest"}, {"repo", repo}, {"ref", out.tag}}})));
  std::vector<oci::Descriptor> layers;
  if (existing.at(0).status == 200) {
    TRY(const oci::Manifest old, oci::parse_manifest(as_chars(existing[0].body)));
    layers = old.layers;
  } else if (existing.at(0).status != 404) {
    return input_error("reading " + out.tag + ": the registry answered " + std::to_string(existing[0].status));
  }
  // Already signed by this key? (ECDSA signatures differ each time; the payload does not.)
  for (const auto& l : layers) {
    if (l.digest != layer.digest) continue;
    const auto it = l.annotations.find(std::string(oci::kSignatureAnnotation));
    if (it == l.annotations.end()) continue;
    const auto old = base64_decode(it->second);
    if (old && cosign::verify_blob(s.public_key(), as_bytes(payload), *old)) out.already_signed = true;
  }
  out.layers = static_cast<int>(layers.size()) + (out.already_signed ? 0 : 1);
  if (out.already_signed) return out;  // nothing to push
  layers.push_back(layer);

  ordered_json diff_ids = ordered_json::array();
  for (const auto& l : layers) diff_ids.push_back(l.digest);
  const ordered_json config = {{"architecture", ""},
                               {"created", "0001-01-01T00:00:00Z"},
                               {"history", ordered_json::array({{{"created", "0001-01-01T00:00:00Z"}}})},
                               {"os", ""},
                               {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}},
                               {"config", ordered_json::object()}};
  const std::string config_bytes = config.dump();
  ordered_json layer_list = ordered_json::array();
  for (const auto& l : layers) layer_list.push_back(descriptor_json(l));
  const ordered_json manifest = {{"schemaVersion", 2},
                                 {"mediaType", std::string(oci::kOciManifest)},
                                 {"config",
                                  {{"mediaType", std::string(oci::kImageConfig)},
                                   {"digest", crypto::sha256_digest(as_bytes(config_bytes))},
                                   {"size", config_bytes.size()}}},
                                 {"layers", layer_list}};
  const std::string manifest_bytes = manifest.dump();
  out.manifest_digest = crypto::sha256_digest(as_bytes(manifest_bytes));

  TRY_STATUS(atomic_write(session.file("payload"), payload, 0600));
  TRY_STATUS(atomic_write(session.file("config"), config_bytes, 0600));
  TRY_STATUS(atomic_write(session.file("manifest"), manifest_bytes, 0600));
  json ops = json::array();
  ops.push_back(
      {{"op", "put-blob"}, {"repo", repo}, {"digest", layer.digest}, {"file", session.file("payload").string()}});
  ops.push_back({{"op", "put-blob"},
                 {"repo", repo},
                 {"digest", crypto::sha256_digest(as_bytes(config_bytes))},
                 {"file", session.file("config").string()}});
  ops.push_back({{"op", "put-manifest"},
                 {"repo", repo},
                 {"ref", out.tag},
                 {"media_type", std::string(oci::kOciManifest)},
                 {"file", session.file("manifest").string()}});
  TRY(auto pushed, session.run(ops));
  for (std::size_t i = 0; i < pushed.size(); ++i) {
    const auto& r = pushed[i];
    if (!r.error.empty() || r.status < 200 || r.status >= 300) {
      return input_error("pushing the signature failed at step " + std::to_string(i + 1) + " (" +
                         (r.error.empty() ? "HTTP " + std::to_string(r.status) : r.error) + ")");
    }
  }
  return out;
}

}  // namespace chartprov::app
