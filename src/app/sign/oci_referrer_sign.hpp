#pragma once
// cosign v3's signature of an OCI manifest (tests/data/cosign/FORMAT.md C2,
// oci/bundle_referrer.hpp), as sign oci:// writes it:
//   1. the referrers of the manifest are read (referrers API and referrers
//      tag, app/helpers/oci_referrers.hpp); a Sigstore bundle referrer whose
//      DSSE envelope is this key's signature of the statement below means
//      the key signed already: nothing is pushed;
//   2. the in-toto statement naming the manifest digest is signed as DSSE
//      (the signature checked with the key before use) into a bundle v0.3;
//   3. the empty config blob, the bundle blob and the referrer manifest
//      (subject = the chart's manifest) are pushed, the manifest by digest;
//   4. a registry that names the subject back (OCI-Subject) lists it by its
//      referrers API; otherwise the referrers tag sha256-<hex> is read again
//      and pushed with the referrer appended (oci::add_to_referrers_index:
//      every other entry kept, none twice). Read-modify-write, not atomic,
//      as for cosign.
#include <cstdint>
#include <string>
#include <string_view>

#include "app/helpers/oci_client.hpp"
#include "app/keys/signer_source.hpp"
#include "oci/manifest.hpp"

namespace chartprov::app {

struct OciReferrerSignature {
  std::string manifest_digest;  // the referrer manifest's (empty when nothing was pushed)
  int bundle_referrers = 0;     // Sigstore bundle referrers of the chart's manifest now
  bool already_signed = false;  // this key's bundle was listed: nothing pushed
  bool referrers_api = false;   // the registry lists the referrer itself (OCI-Subject)
  std::string referrers_tag;    // sha256-<hex>
  bool tag_updated = false;     // the referrers tag was pushed
};

// repo: the chart's repository; manifest: the chart manifest's descriptor
// (media type, digest, size), the referrer's subject; now: the referrer's
// org.opencontainers.image.created.
// Refusals: the referrers listings cannot be read (read_referrer_listings'
// refusals); more than oci::kMaxBundleReferrers bundle referrers are listed,
// or that many already when this key's is not among them ("<digest> has 64
// Sigstore bundle referrers already, the most a verification reads"); the
// signer's signature does not verify with its public key; a push that fails
// ("pushing the referrer failed at step N (...)", "pushing the referrers tag
// <tag> failed (...)"); the referrers tag holds no image index or is full
// (oci::add_to_referrers_index: the tag is then left as it was).
Result<OciReferrerSignature> attach_bundle_referrer(OciSession& session, std::string_view repo,
                                                    const oci::Descriptor& manifest, const OpenedSigner& signer,
                                                    std::int64_t now);

}  // namespace chartprov::app
