#pragma once
// The keyless judge (issue 16): a chart's Sigstore bundle signed with a
// certificate, verified against the Sigstore trusted root
// (certificate_bundle.hpp), then judged by who the certificate names. A
// certificate anyone with an OIDC account can get proves nothing by itself:
// it counts only for an identity the trust material accepts --
//   the trust root's signing_identities, within their charts, environments,
//     validity and revocation, as of the signing time (as signing keys are);
//   or the one identity the command line pins (verify --certificate-identity).
// The policy's rules may then restrict the identities further.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/verify/bundle_verify.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "policy/evidence.hpp"
#include "policy/identity.hpp"
#include "trust/trust_root.hpp"
#include "util/bytes.hpp"

namespace chartprov::app {

struct KeylessChart {
  std::string source;  // the bundle file, for reports
  ByteView chart;      // the chart's bytes (a message signature is over them)
  std::string_view bundle_json;
  std::string name;     // Chart.yaml's, for the identities' allowed_charts
  std::string version;  // Chart.yaml's: an entry of chartprov's own log must name both
};

// Whether the bundle text carries a certificate (a keyless or CA-issued
// signature) rather than a key hint. A bundle that does not parse: false
// (the key judges refuse it with its reason).
bool is_certificate_bundle(std::string_view bundle_json);

// A certificate bundle's check (certificate_bundle.hpp) as evidence before
// anyone is trusted: bad with its reason, or unknown_key with the identity,
// signing time and log facts filled in.
policy::EnvelopeEvidence keyless_evidence(const BundleCheck& check, std::string format, std::string source);

// Evidence with an identity (keyless_evidence's unknown_key) judged by the
// trust root's signing_identities: the first that matches and counts for
// chart `chart_name` in `environment` at the signing time (else now) makes it
// good, with its owner and window; one that matches but does not count gives
// its refusal (out_of_scope, revoked, expired). No identity: unchanged.
void judge_identity_by_trust_root(policy::EnvelopeEvidence& evidence, const trust::TrustRoot& root,
                                  const std::string& chart_name, const std::string& environment, std::int64_t now);

// Evidence with an identity judged by one pinned identity: good when it
// matches, else unknown_key naming both. No identity: unchanged.
void judge_identity_by_pin(policy::EnvelopeEvidence& evidence, const policy::IdentityRequirement& pinned);

// By the trust root's identities. sigstore_root null: an error verdict (the
// trust root carries no Sigstore trusted root and none was given).
policy::EnvelopeEvidence judge_keyless_by_trust_root(const KeylessChart& chart, const trust::TrustRoot& root,
                                                     const sigstore::TrustedRoot* sigstore_root,
                                                     const std::string& environment, std::int64_t now);

// By one pinned identity.
policy::EnvelopeEvidence judge_keyless_by_identity(const KeylessChart& chart, const policy::IdentityRequirement& pinned,
                                                   const sigstore::TrustedRoot& sigstore_root, std::int64_t now);

}  // namespace chartprov::app
