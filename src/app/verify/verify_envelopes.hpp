#pragma once
// Verifying a chart's cosign envelopes with a public key (issue 3):
// CHART.tgz.sig (cosign sign-blob) and CHART.tgz.sigstore.json (bundle).
// The chart is read with the same limits as every verify (a tar bomb is
// refused even when only a blob signature is asked for).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/verify/staged_chart.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "infra/openssl/pkey.hpp"
#include "policy/evidence.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct EnvelopeReport {
  std::string format;  // cosign-blob | sigstore-bundle | prov
  std::string file;
  // good, bad, or unknown_key: a .prov found next to the chart (not given)
  // that another key signed is not evidence either way (reported, not counted).
  policy::Verdict verdict = policy::Verdict::bad;
  std::string reason;
  int tlog_entries_verified = 0;
  int timestamps_verified = 0;
  std::vector<policy::LogInclusion> log_entries;  // the verified log entries (bundles)
  bool verified() const { return verdict == policy::Verdict::good; }
  bool ignored() const { return verdict == policy::Verdict::unknown_key; }
};

struct KeyVerifyRequest {
  std::filesystem::path chart;
  std::optional<std::filesystem::path> signature;  // explicit .sig
  std::optional<std::filesystem::path> bundle;     // explicit .sigstore.json
  std::optional<std::filesystem::path> prov;       // explicit .prov, checked with the key (cosign_prov_check.hpp)
  bool prov_by_key = true;                         // false when a keyring checks the .prov instead
  std::int64_t now = 0;                            // unix time; 0 = the clock
  // Explicit files: exactly those, each must verify. Otherwise every one of
  // CHART.tgz.sig, CHART.tgz.sigstore.json and (with prov_by_key)
  // CHART.tgz.prov that is present must verify, except a well-formed .prov
  // with no signature by this key (ignored). At least one must verify.
  bool discover = true;
};

struct KeyVerifyReport {
  bool verified = false;  // every envelope checked verified, and there was at least one
  std::string chart_name, chart_version, digest, key_id;
  std::vector<EnvelopeReport> envelopes;
  std::vector<std::string> reasons;
};

// The chart staged for the key's judge: the envelopes request names (then
// only those), else those beside the chart (a .prov only with prov_by_key);
// the .sig's digest under the key's hash. Refusals: stage_chart's, and an
// envelope the request names that cannot be read or is larger than its
// judge's limit (envelope::prov::kMaxProvFile, cosign::kMaxSignatureFile, sigstore::kMaxBundle).
Result<StagedChart> stage_for_key(const KeyVerifyRequest& request, const crypto::PKey& key);

// The key's judge over a staged chart: every envelope staged (a .prov by key
// material when prov_by_key, a .sig, a bundle) against `key` (key_id: its
// SPKI SHA-256 hex); root: check bundle log entries and timestamps (null: not
// checked). A .prov found beside the chart that another key signed is
// reported and ignored. An
// envelope that could not be read is a reason. Never an Error.
KeyVerifyReport judge_with_key(const StagedChart& chart, const crypto::PKey& key, const std::string& key_id,
                               const sigstore::TrustedRoot* root, bool prov_by_key, std::int64_t now);

}  // namespace chartprov::app
