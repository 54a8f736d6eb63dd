#include "oci/bundle_referrer.hpp"

#include <nlohmann/json.hpp>

#include "envelope/cosign/blob_signature.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "envelope/sigstore/intoto_statement.hpp"
#include "infra/openssl/digest.hpp"

namespace chartprov::oci {
namespace {

using nlohmann::ordered_json;

// Go's v1.Descriptor field order: mediaType, size, digest, annotations, artifactType.
ordered_json descriptor_json(std::string_view media_type, std::int64_t size, std::string_view digest) {
  return {{"mediaType", std::string(media_type)}, {"size", size}, {"digest", std::string(digest)}};
}

}  // namespace

std::string cosign_sign_statement(std::string_view manifest_digest) {
  const std::string hex(manifest_digest.substr(manifest_digest.find(':') + 1));
  ordered_json subject = {{"digest", {{"sha256", hex}}}, {"annotations", ordered_json::object()}};
  const ordered_json statement = {{"_type", "https://in-toto.io/Statement/v1"},
                                  {"subject", ordered_json::array({subject})},
                                  {"predicateType", std::string(kCosignSignPredicate)},
                                  {"predicate", ordered_json::object()}};
  return statement.dump();
}

std::string bundle_referrer_manifest(const Descriptor& subject, std::string_view bundle_json,
                                     std::string_view created) {
  const std::string bundle_digest = crypto::sha256_digest(as_bytes(bundle_json));
  ordered_json config = descriptor_json(kOciEmpty, static_cast<std::int64_t>(kEmptyJson.size()),
                                        crypto::sha256_digest(as_bytes(kEmptyJson)));
  config["artifactType"] = std::string(kBundleV03);
  ordered_json layer = descriptor_json(kBundleV03, static_cast<std::int64_t>(bundle_json.size()), bundle_digest);
  layer["annotations"] = {{"org.opencontainers.image.title", "sha256-" + bundle_digest.substr(7) + ".sigstore.json"}};
  // Go writes map keys sorted.
  const ordered_json annotations = {{"dev.sigstore.bundle.content", "dsse-envelope"},
                                    {"dev.sigstore.bundle.predicateType", std::string(kCosignSignPredicate)},
                                    {"org.opencontainers.image.created", std::string(created)}};
  const ordered_json manifest = {{"schemaVersion", 2},
                                 {"mediaType", std::string(kOciManifest)},
                                 {"config", config},
                                 {"layers", ordered_json::array({layer})},
                                 {"annotations", annotations},
                                 {"subject", descriptor_json(subject.media_type, subject.size, subject.digest)},
                                 {"artifactType", std::string(kBundleV03)}};
  return manifest.dump();
}

bool is_dsse_signature_of(std::string_view bundle_json, std::string_view statement, const crypto::PKey& key) {
  const auto bundle = sigstore::parse_bundle(bundle_json);
  if (!bundle || !bundle->dsse || bundle->dsse->payload_type != sigstore::kInTotoPayloadType) return false;
  const auto& dsse = *bundle->dsse;
  if (as_chars(dsse.payload) != statement) return false;
  return cosign::verify_blob(key, sigstore::dsse_pae(dsse.payload_type, dsse.payload), dsse.signature);
}

}  // namespace chartprov::oci
