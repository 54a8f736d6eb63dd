#pragma once
// verify --trust-dir: the trust root instead of a keyring or a key (issue 5).
// Every envelope beside the chart (.prov, .sig, .sigstore.json) is tried
// against the signing keys the trust root lists; a signature counts only if
// its key may sign this chart (allowed_charts), for this environment
// (allowed_environments, when --env is given), inside its validity window and
// before any revocation, at the time it was made (.prov: its creation time;
// bundles: the log's integrated time when present; else now).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "app/verify/staged_chart.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "policy/evidence.hpp"
#include "trust/trust_root.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct TrustedEnvelope {
  std::string format;  // prov | cosign-blob | sigstore-bundle
  std::string file;
  policy::Verdict verdict = policy::Verdict::bad;
  bool counts() const { return verdict == policy::Verdict::good; }
  std::string key_id, owner;  // the trusted key that verified it, if any
  std::string reason;         // why it does not count
};

struct TrustVerifyReport {
  bool verified = false;
  std::int64_t trust_version = 0;
  std::string chart_name, chart_version, digest;
  std::vector<TrustedEnvelope> envelopes;
  std::vector<std::string> reasons;
};

// Why this trusted key's signature (made at `at`) does not count for this
// chart and environment, or "" when it does.
std::string scope_refusal(const trust::SigningKey& key, const std::string& chart, const std::string& environment,
                          std::int64_t at);
// The verdict for a refusal: revoked, expired or out of scope.
policy::Verdict verdict_of_refusal(const trust::SigningKey& key, std::int64_t at);

// The trust root's judge: every envelope of the staged chart against the
// trust root's signing keys (scopes, windows, revocations as of the signing
// time). An envelope that could not be read is judged "error". tlog_root:
// Sigstore trusted root for bundle log entries (null: not checked).
std::vector<policy::EnvelopeEvidence> judge_with_trust_root(const StagedChart& chart, const trust::TrustRoot& root,
                                                            const std::string& environment, std::int64_t now,
                                                            const sigstore::TrustedRoot* tlog_root);

// The trust root's report over a staged chart whose archive could be read:
// the judge's evidence (judge_with_trust_root) as envelopes, verified when one
// counts, else every envelope's reason (or that there is none).
TrustVerifyReport trust_report_of(const StagedChart& chart, std::int64_t trust_version,
                                  const std::vector<policy::EnvelopeEvidence>& judged);

}  // namespace chartprov::app
