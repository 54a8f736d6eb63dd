#pragma once
// The judge of a chart's build-provenance attestation (issue 16 part 3):
// CHART.tgz.attestation.sigstore.json (chartprov attest), a Sigstore bundle
// whose DSSE envelope holds an in-toto statement. In two steps, so that
// whoever vouches for the bundle, the statement is judged the same way:
//   1. who signed it: the bundle's signature judged as any bundle is -- by
//      the --key, or by the trust root's keys (their charts, environments,
//      windows and revocations, as of the log's time when the bundle has a
//      verified entry, else now); a certificate bundle by the keyless judge
//      (judge_keyless.hpp: the trust root's identities, or the pinned one)
//      -- giving a policy::EnvelopeEvidence;
//   2. what it says (attestation_evidence): for a good signature only, the
//      statement read from the same bytes must name the chart's SHA-256 and,
//      for SLSA provenance v1, parse; its predicate type and SLSA fields
//      become the attestation's facts.
// Nothing here decides whether the attestation is required: the policy does.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/verify/staged_chart.hpp"
#include "app/verify/trust_material.hpp"
#include "policy/evidence.hpp"

namespace chartprov::app {

// The attestation whose signature `vouched` judged (its verdict and signer
// are kept; its format becomes "attestation"), with the facts of the
// statement in bundle_json when the signature is good. A good signature
// becomes bad, with the reason, when: the bundle holds no DSSE in-toto
// statement, or one parse_statement refuses; the statement does not name
// chart_sha256_hex ("the attestation names another digest ..."); a SLSA
// provenance v1 predicate that parse_slsa_provenance refuses.
policy::AttestationEvidence attestation_evidence(policy::EnvelopeEvidence vouched, std::string_view bundle_json,
                                                 std::string_view chart_sha256_hex);

// The staged chart's attestation (none: empty) judged by the material: a
// certificate bundle by the trust root's identities or the pinned identity
// (with its Sigstore trusted root; neither: unknown_key); any other by the
// trust root's keys in `environment`, else the key (none: unknown_key); a
// keyring alone judges none (its keys sign .prov files only). An
// attestation that could not be read is judged "error". Never an Error.
std::vector<policy::AttestationEvidence> judge_attestations(const StagedChart& chart, const TrustMaterial& material,
                                                            const std::string& environment, std::int64_t now);

}  // namespace chartprov::app
