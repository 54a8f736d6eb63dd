#include "app/verify/oci_signatures.hpp"

#include "app/verify/bundle_verify.hpp"

namespace chartprov::app {

oci::SignatureVerdict verify_referrer_manifest(const oci::Manifest& referrer, std::string_view manifest_digest,
                                               const crypto::PKey& key, const oci::BlobSource& blobs,
                                               const sigstore::TrustedRoot* root) {
  oci::SignatureVerdict v;
  if (!referrer.subject || referrer.subject->digest != manifest_digest) {
    v.reason = "the referrer's subject is " + (referrer.subject ? referrer.subject->digest : std::string("missing")) +
               ", not " + std::string(manifest_digest);
    return v;
  }
  auto layer = referrer.layer(oci::kBundleV03);
  if (!layer || *layer == nullptr) {
    v.reason = layer ? "the referrer holds no Sigstore bundle layer" : layer.error().message;
    return v;
  }
  auto bundle = blobs(**layer);
  if (!bundle) {
    v.reason = "bundle " + (*layer)->digest + ": " + bundle.error().message;
    return v;
  }
  const auto check = verify_bundle_for_digest(manifest_digest.substr(7), as_chars(*bundle), key, root);
  v.verified = check.verified;
  v.good = check.verified ? 1 : 0;
  v.reason = check.reason;
  return v;
}

}  // namespace chartprov::app
