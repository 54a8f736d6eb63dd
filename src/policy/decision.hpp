#pragma once
// A decision: the policy of one environment applied to the evidence. The
// only thing a deployment acts on (DESIGN). Pure: no I/O, no clock.
#include <cstdint>
#include <string>
#include <vector>

#include "policy/evidence.hpp"
#include "policy/policy.hpp"

namespace chartprov::policy {

struct Decision {
  std::string environment;
  Mode mode = Mode::enforce;
  bool allowed = false;              // what the policy says
  std::string rule;                  // "policy.yaml:14 charts [nginx-*]", or "" when none matched
  std::vector<std::string> signers;  // the signers that counted (key id or fingerprint, owner)
  std::vector<std::string> reasons;  // every reason for a deny; notes for an allow
  // One short label for metrics (bounded cardinality): "" for an allow, else
  // the first reason's kind: no-envelope, bad-signature, untrusted-signer,
  // out-of-scope, threshold, too-old, no-tlog, split-view (set by app/verify), unmatched, archive, error,
  // attestation (the signatures count, a required attestation is missing,
  // differs or does not verify).
  std::string reason_code;
  // Deny that stops a deployment: only in enforce mode.
  bool blocks() const { return !allowed && mode == Mode::enforce; }
  // "allow", "deny", or "warn" (a deny that warn/off mode lets through).
  std::string verdict() const;
};

Decision evaluate(const Policy& policy, std::string_view environment, const Evidence& evidence, std::int64_t now);

// The deny for a request that names nothing chartprov can verify (helm
// rollback, a chart helm would look up in a repository): `reasons`, reason
// code "error", in the environment's mode, so that only an environment the
// policy puts in warn or off lets it past. An environment the policy does not
// name is enforced, as in evaluate().
Decision deny_unverifiable(const Policy& policy, std::string_view environment, std::vector<std::string> reasons);

}  // namespace chartprov::policy
