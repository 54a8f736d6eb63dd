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
  // out-of-scope, threshold, too-old, no-tlog, unmatched, archive, error.
  std::string reason_code;
  // Deny that stops a deployment: only in enforce mode.
  bool blocks() const { return !allowed && mode == Mode::enforce; }
  // "allow", "deny", or "warn" (a deny that warn/off mode lets through).
  std::string verdict() const;
};

Decision evaluate(const Policy& policy, std::string_view environment, const Evidence& evidence, std::int64_t now);

}  // namespace chartprov::policy
