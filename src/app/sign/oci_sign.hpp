#pragma once
// sign oci://: attach a cosign signature of a chart's manifest in its
// registry, in the forms cosign writes (tests/data/cosign/FORMAT.md C):
//   referrer (cosign v3, the default): a Sigstore bundle v0.3 whose DSSE
//     envelope signs an in-toto statement naming the manifest digest, pushed
//     by digest as an OCI 1.1 referrer manifest (subject = the chart's
//     manifest); a registry without the referrers API gets the referrers tag
//     sha256-<hex> updated (read-modify-write, every listed entry kept, none
//     twice);
//   legacy (cosign v2, and v3 with --new-bundle-format=false): a layer of the
//     sha256-<hex>.sig manifest signing the simple-signing payload
//     (read-modify-write);
//   both.
// A key whose signature of this manifest is already there, in a form, adds
// nothing in that form.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/helpers/oci_client.hpp"
#include "app/keys/signer_source.hpp"
#include "app/sign/oci_legacy_sign.hpp"
#include "app/sign/oci_referrer_sign.hpp"
#include "oci/reference.hpp"

namespace chartprov::app {

enum class OciSignatureForm { kReferrer, kLegacy, kBoth };

// "referrer", "legacy", "both". Refusal: anything else (usage error).
Result<OciSignatureForm> parse_oci_signature_form(std::string_view text);

struct OciSignRequest {
  oci::Reference reference;
  OciConnection connection;
  const OpenedSigner* signer = nullptr;
  OciSignatureForm form = OciSignatureForm::kReferrer;
  std::int64_t now = 0;  // the referrer's creation time; 0: the clock
};

struct OciSignResult {
  std::string manifest_digest;  // what was signed
  std::optional<OciLegacySignature> legacy;
  std::optional<OciReferrerSignature> referrer;
};

// Refusals: no signer (internal); the session cannot be opened; the
// manifest cannot be fetched or is not a Helm chart's, or the registry served
// another manifest than the digest named; then attach_legacy_signature's
// (written first, when asked for) and attach_bundle_referrer's.
Result<OciSignResult> sign_oci_chart(OciSignRequest request);

}  // namespace chartprov::app
