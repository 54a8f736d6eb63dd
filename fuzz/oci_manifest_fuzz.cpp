// libFuzzer target for what a registry sends: manifests, indexes, cosign
// .sig manifests (verified against the input's own digest with a fixed key
// and an in-memory blob store), referrers indexes (a referrer added to the
// input as the referrers tag's current text: the result, when there is one,
// is an index that lists it), bundle referrers, plus Docker config files and
// credential helper answers, and OCI references. Nothing may crash or loop.
// fuzz-seeds: *manifest*.json *index*.json config.json
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "infra/openssl/pkey.hpp"
#include "oci/bundle_referrer.hpp"
#include "oci/cosign_signature.hpp"
#include "oci/docker_config.hpp"
#include "oci/manifest.hpp"
#include "oci/reference.hpp"
#include "oci/referrers.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const crypto::PKey key = std::move(crypto::generate_key("ecdsa-p256").value());
  const std::string_view text = as_chars(ByteView(data, size));
  if (auto m = oci::parse_manifest(text); m.ok()) {
    (void)m->layer(oci::kHelmChart);
    const oci::BlobSource blobs = [&](const oci::Descriptor& d) -> Result<Bytes> {
      Bytes b(data, data + size);
      TRY_STATUS(oci::check_blob(d, b));
      return b;
    };
    (void)oci::verify_signature_manifest(*m, "sha256:" + std::string(64, '0'), key, blobs);
    (void)oci::referrer_descriptor(*m, "sha256:" + std::string(64, '1'), 1);
  }
  if (auto idx = oci::parse_index(text); idx.ok()) (void)oci::bundle_referrers({*idx, *idx});
  oci::Descriptor referrer;
  referrer.media_type = std::string(oci::kOciManifest);
  referrer.digest = "sha256:" + std::string(64, 'f');
  referrer.size = 2;
  referrer.artifact_type = std::string(oci::kBundleV03);
  if (auto added = oci::add_to_referrers_index(text, referrer); added.ok() && added->has_value()) {
    const auto idx = oci::parse_index(**added);
    fuzz::check(idx.ok());
    bool listed = false;
    for (const auto& d : idx->manifests) listed = listed || d.digest == referrer.digest;
    fuzz::check(listed);
  }
  (void)oci::is_dsse_signature_of(text, oci::cosign_sign_statement(referrer.digest), key);
  (void)oci::docker_auth_for(text, "127.0.0.1:5000");
  (void)oci::parse_helper_answer(text);
  (void)oci::parse_reference(text);
  (void)oci::parse_reference("oci://" + std::string(text), "1.0.0");
  return 0;
}
