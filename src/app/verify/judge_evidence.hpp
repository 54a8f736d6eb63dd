#pragma once
// What each judge's report comes to as policy evidence: the one conversion
// from the .prov judge's VerifyReport and the key's KeyVerifyReport to
// policy::EnvelopeEvidence, shared by decide() and verify_plain(). Pure
// translation: nothing is read, nothing is verified again.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/verify/oci_verify.hpp"
#include "app/verify/staged_chart.hpp"
#include "app/verify/trust_material.hpp"
#include "app/verify/verify.hpp"
#include "app/verify/verify_envelopes.hpp"
#include "policy/evidence.hpp"
#include "trust/trust_root.hpp"

namespace chartprov::app {

// The evidence about a staged chart before any envelope is judged: the chart
// as asked (`chart`), its digest, what was trusted (m.label()), whether
// owners are claims (a keyring's user ids), and Chart.yaml's name and version,
// or the archive reader's refusal as a problem.
policy::Evidence chart_evidence(const StagedChart& staged, const TrustMaterial& m, std::string_view chart);

// One signature of a .prov (read from `source`) as the policy counts it: a
// signer the keyring does not hold, or that --signer does not pin, is an
// unknown key; a good signature of a .prov that fails any other check (digest,
// name, version, file name, a bad signature beside it) is bad, with every
// reason of the report.
policy::EnvelopeEvidence prov_signature_evidence(const std::string& source, const VerifyReport& report,
                                                 const SignatureReport& signature);

// The keyring's judge: one piece of evidence per signature of the .prov, or
// one bad envelope with every reason when it has none (unreadable, malformed).
void add_prov_evidence(const std::string& source, const VerifyReport& report, policy::Evidence& evidence);

// The key's judge: one piece of evidence per envelope it judged; a .prov found
// beside the chart that another key signed (ignored) is no evidence.
void add_key_evidence(const KeyVerifyReport& report, policy::Evidence& evidence);

// What verify_oci_chart found for `chart` (oci://...), with a keyring and/or
// a key: the chart's facts, or every reason as a problem when the chart
// could not be read from the registry; each signature of the .prov layer; one
// cosign envelope of the manifest by the key, good when a signature of it
// verified; and the reasons about the chart itself (manifest digest, name,
// version) as problems. With a pinned identity (verify --certificate-identity),
// each referrer signed with a certificate, good when the identity matches;
// none at all is one bad oci-cosign envelope ("no referrer of the manifest
// holds a certificate-signed bundle"). A trust root's evidence is decide()'s
// to add: it judges the .prov layer by the keys' scopes.
policy::Evidence oci_evidence(const std::string& chart, const OciVerifyReport& report, const TrustMaterial& m);

// One referrer of `chart`'s manifest signed with a certificate, as evidence
// before its identity is judged (judge_keyless.hpp keyless_evidence): format
// oci-cosign, source CHART@MANIFEST (referrer DIGEST); bad with the check's
// reason, an error when there was no Sigstore trusted root to check it
// against, else unknown_key with the identity the certificate names.
policy::EnvelopeEvidence oci_certificate_evidence(const std::string& chart, const OciVerifyReport& report,
                                                  const OciCertificateSignature& signature);

// When the trust material of this evidence ends: the trust root, and each key
// whose signature is good.
std::vector<policy::Expiry> expiries_of(const policy::Evidence& evidence, const std::optional<trust::TrustRoot>& root);

}  // namespace chartprov::app
