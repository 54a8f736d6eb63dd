#include "oci/cosign_signature.hpp"

#include <nlohmann/json.hpp>

#include "envelope/cosign/blob_signature.hpp"
#include "infra/json/untrusted_json.hpp"
#include "infra/openssl/digest.hpp"
#include "util/encoding.hpp"

namespace chartprov::oci {

Status check_blob(const Descriptor& d, ByteView bytes) {
  if (static_cast<std::int64_t>(bytes.size()) != d.size) {
    return verify_error("blob " + d.digest + " has " + std::to_string(bytes.size()) + " bytes, the descriptor says " +
                        std::to_string(d.size));
  }
  if (crypto::sha256_digest(bytes) != d.digest) return verify_error("blob " + d.digest + " does not match its digest");
  return ok_status();
}

std::string simple_signing_payload(std::string_view docker_reference, std::string_view manifest_digest) {
  // Go's encoding/json: struct field order, no spaces, <>& escaped.
  const auto go_string = [](std::string_view s) {
    std::string out = nlohmann::json(std::string(s)).dump();
    std::string escaped;
    for (const char c : out) {
      if (c == '<')
        escaped += "\\u003c";
      else if (c == '>')
        escaped += "\\u003e";
      else if (c == '&')
        escaped += "\\u0026";
      else
        escaped += c;
    }
    return escaped;
  };
  return "{\"critical\":{\"identity\":{\"docker-reference\":" + go_string(docker_reference) +
         "},\"image\":{\"docker-manifest-digest\":" + go_string(manifest_digest) +
         "},\"type\":\"cosign container image signature\"},\"optional\":null}";
}

SignatureVerdict verify_signature_manifest(const Manifest& sig_manifest, std::string_view manifest_digest,
                                           const crypto::PKey& key, const BlobSource& blobs) {
  SignatureVerdict v;
  v.reason = "no simple-signing layer";
  for (const auto& layer : sig_manifest.layers) {
    if (layer.media_type != kSimpleSigning) continue;
    const auto it = layer.annotations.find(std::string(kSignatureAnnotation));
    if (it == layer.annotations.end()) {
      v.reason = "a signature layer has no " + std::string(kSignatureAnnotation) + " annotation";
      continue;
    }
    auto sig = base64_decode(it->second);
    if (!sig) {
      v.reason = "a signature annotation is not base64";
      continue;
    }
    auto payload = blobs(layer);
    if (!payload) {
      v.reason = "signature payload " + layer.digest + ": " + payload.error().message;
      continue;
    }
    if (!cosign::verify_blob(key, *payload, *sig)) {
      v.reason = "the signature does not verify with the key";
      continue;
    }
    // Verified bytes only: parse what was signed, never re-serialise.
    const auto doc = parse_untrusted_json(*payload);
    const auto* digest = doc.is_object() ? &doc : nullptr;
    std::string claimed;
    if (digest != nullptr && doc.contains("critical") && doc["critical"].is_object() &&
        doc["critical"].contains("image") && doc["critical"]["image"].is_object() &&
        doc["critical"]["image"].contains("docker-manifest-digest") &&
        doc["critical"]["image"]["docker-manifest-digest"].is_string()) {
      claimed = doc["critical"]["image"]["docker-manifest-digest"].get<std::string>();
    }
    if (claimed != manifest_digest) {
      v.reason = "the signed payload names " + (claimed.empty() ? std::string("no digest") : claimed) + ", not " +
                 std::string(manifest_digest);
      continue;
    }
    ++v.good;
  }
  v.verified = v.good > 0;
  if (v.verified) v.reason.clear();
  return v;
}

}  // namespace chartprov::oci
