#pragma once
// verify oci://: pull a chart pushed with `helm push` and verify it where it
// lives (issue 3): the chart layer by its digest, the .prov layer with a
// keyring, cosign signatures of the manifest with a key: the legacy .sig tag
// and OCI 1.1 referrers, as both the registry's referrers API and the
// referrers tag sha256-<hex> list them (a registry without the API answers
// 404 there). Nothing is written: the caller saves the bytes read
// (save_oci_chart) once its decision allows them (--output).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/helpers/oci_client.hpp"
#include "app/verify/bundle_verify.hpp"
#include "app/verify/trust_material.hpp"
#include "app/verify/verify.hpp"
#include "oci/reference.hpp"
#include "util/bytes.hpp"

namespace chartprov::app {

struct OciVerifyRequest {
  oci::Reference reference;
  OciConnection connection;
  // Loaded once by the caller (load_trust_material): a keyring judges the
  // .prov layer, a key the cosign signatures of the manifest (legacy .sig tag
  // and referrers, bundles against the Sigstore trusted root when given), a
  // trust root both: the .prov layer is fetched for the caller to judge, and
  // cosign signatures are counted per listed key. A pinned identity, or a
  // trust root that lists signing identities: every referrer whose bundle
  // carries a certificate is checked against the Sigstore trusted root
  // (certificate_signatures), for the caller to judge its identity.
  const TrustMaterial* material = nullptr;
  std::vector<std::string> pinned_signers;  // the keyring's .prov: full fingerprints
  std::int64_t now = 0;                     // 0: the clock
};

// A referrer whose Sigstore bundle carries a certificate (keyless, or a
// private CA's), checked for the manifest digest against the Sigstore trusted
// root (oci_signatures.hpp verify_referrer_certificate); with no trusted root
// to check it against, not verified and no_trusted_root set.
struct OciCertificateSignature {
  std::string referrer;  // the referrer manifest's digest
  BundleCheck check;
  bool no_trusted_root = false;
};

struct OciVerifyReport {
  bool verified = false;        // no reason; callers on the pipeline set the decision's verdict
  std::string manifest_digest;  // what cosign signs
  std::string chart_digest;     // sha256 of the chart bytes (the chart layer)
  std::string chart_name, chart_version;
  std::optional<VerifyReport> prov;                             // with a keyring
  int cosign_signatures = 0;                                    // good ones, legacy and referrers
  std::string key_id;                                           // the --key's SPKI key id
  std::vector<int> good_by_trusted_key;                         // cosign signatures per signing key of the trust root
  std::vector<OciCertificateSignature> certificate_signatures;  // identities are the caller's to judge
  std::vector<std::string> reasons;
  // Of those, the ones about the chart itself (manifest digest, name,
  // version) or about what the registry lists for it (a referrers listing
  // that cannot be read, app/verify/oci_signatures.hpp): no signature can
  // make up for them.
  std::vector<std::string> chart_problems;
  // The bytes read, each checked against its descriptor: the chart layer
  // once it was fetched, and the .prov layer when it was.
  Bytes chart_bytes;
  std::optional<Bytes> prov_bytes;
};

// Refusals (each an Error; every verdict about the chart is in the report):
// no material, or material with no keyring, key, trust root or pinned
// identity (usage error);
// a --signer that is not a full fingerprint; a session with the registry
// client that cannot be opened; a manifest that cannot be fetched (not
// found, access denied, another status, a transport error). A manifest or
// chart that does not check out is a reason, not an Error.
Result<OciVerifyReport> verify_oci_chart(OciVerifyRequest request);

// Writes the chart layer read to `output` (and the .prov layer to
// OUTPUT.prov when `with_prov` and it was fetched), atomically, mode 0644.
// Refusals: no chart bytes were read; a write that fails.
[[nodiscard]] Status save_oci_chart(const OciVerifyReport& report, const std::filesystem::path& output, bool with_prov);

}  // namespace chartprov::app
