#include "app/verify/oci_signatures.hpp"

#include "app/helpers/oci_referrers.hpp"
#include "app/verify/bundle_verify.hpp"
#include "app/verify/certificate_bundle.hpp"
#include "infra/openssl/digest.hpp"
#include "oci/reference.hpp"
#include "oci/referrers.hpp"

namespace chartprov::app {

Result<std::vector<oci::Descriptor>> bundle_referrers_listed(const OciResult& api, const OciResult& tag,
                                                             std::string_view manifest_digest) {
  TRY(const ReferrerListings listings, read_referrer_listings(api, tag, oci::referrers_tag(manifest_digest)));
  return oci::bundle_referrers(listings.indexes);
}

Result<oci::Manifest> referrer_manifest(const OciResult& answer, const oci::Descriptor& listed) {
  const std::string what = "referrer " + listed.digest;
  if (!answer.error.empty()) return input_error(what + ": " + answer.error);
  if (answer.status != 200) return input_error(what + ": the registry answered " + std::to_string(answer.status));
  if (crypto::sha256_digest(answer.body) != listed.digest) return verify_error(what + " does not match its digest");
  auto m = oci::parse_manifest(as_chars(answer.body));
  if (!m) return input_error(what + ": " + m.error().message);
  return m;
}

Result<Bytes> referrer_bundle(const oci::Manifest& referrer, std::string_view manifest_digest,
                              const oci::BlobSource& blobs) {
  if (!referrer.subject || referrer.subject->digest != manifest_digest) {
    return verify_error("the referrer's subject is " +
                        (referrer.subject ? referrer.subject->digest : std::string("missing")) + ", not " +
                        std::string(manifest_digest));
  }
  auto layer = referrer.layer(oci::kBundleV03);
  if (!layer) return layer.error();
  if (*layer == nullptr) return input_error("the referrer holds no Sigstore bundle layer");
  auto bundle = blobs(**layer);
  if (!bundle) return bundle.error().with_context("bundle " + (*layer)->digest);
  return bundle;
}

BundleCheck verify_referrer_certificate(std::string_view bundle_json, std::string_view manifest_digest,
                                        const sigstore::TrustedRoot& root, std::int64_t now) {
  const std::string_view prefix = "sha256:";
  if (manifest_digest.substr(0, prefix.size()) != prefix) {
    BundleCheck c;
    c.reason = "the manifest digest " + std::string(manifest_digest) + " is not a SHA-256 digest";
    return c;
  }
  return verify_certificate_bundle(std::nullopt, std::string(manifest_digest.substr(prefix.size())), bundle_json, root,
                                   now);
}

oci::SignatureVerdict verify_referrer_manifest(const oci::Manifest& referrer, std::string_view manifest_digest,
                                               const crypto::PKey& key, const oci::BlobSource& blobs,
                                               const sigstore::TrustedRoot* root) {
  oci::SignatureVerdict v;
  auto bundle = referrer_bundle(referrer, manifest_digest, blobs);
  if (!bundle) {
    v.reason = bundle.error().message;
    return v;
  }
  const auto check = verify_bundle_for_digest(manifest_digest.substr(7), as_chars(*bundle), key, root);
  v.verified = check.verified;
  v.good = check.verified ? 1 : 0;
  v.reason = check.reason;
  return v;
}

}  // namespace chartprov::app
