#pragma once
// decide: gather every piece of evidence for a chart (a file with its
// envelopes beside it, or an oci:// reference), then apply the policy of one
// environment (issue 5). The use case behind `verify --env`, the deploy
// gate, `serve` (POST /v1/verify) and verify-repo. Nothing here prints.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "app/oci_client.hpp"
#include "policy/decision.hpp"
#include "policy/evidence.hpp"
#include "policy/policy.hpp"
#include "util/result.hpp"

namespace chartprov::app {

// Where trusted keys come from: exactly one of these.
struct TrustSource {
  std::optional<std::filesystem::path> trust_dir;  // trust root (root.json)
  std::optional<std::filesystem::path> keyring;    // OpenPGP keyring: .prov only
  std::optional<std::filesystem::path> key;        // one public key: .sig, bundle, .prov by key material
  std::optional<std::filesystem::path> key_history;  // with keyring/key: windows and revocations
  std::optional<std::filesystem::path> trusted_root;  // Sigstore trusted_root.json for bundle log entries
  bool use_keyring_cache = true;
};

struct DecideRequest {
  std::string chart;  // path to CHART.tgz, or oci://HOST/REPO/NAME (with version)
  std::string version;  // oci:// only, when the reference has no tag
  std::string environment;
  TrustSource trust;
  OciConnection connection;  // oci:// only
  // The deploy gate's private copy: write the chart bytes that were verified
  // (the same bytes, read once) and the envelopes that were read into this
  // existing directory, under the chart's file name (oci://: NAME-VERSION.tgz).
  // Set only after the evidence is gathered; unset: nothing is written.
  std::optional<std::filesystem::path> save_dir;
  std::int64_t now = 0;  // 0: the clock
};

struct DecideResult {
  policy::Evidence evidence;
  policy::Decision decision;
  std::optional<std::filesystem::path> saved_chart;  // with save_dir: the private copy
};

// The policy file is loaded by the caller (load_policy) so that a server or
// a repository walk parses it once. Errors are input errors (exit 2) and are
// a deny for every caller; every verdict about the chart is in the result.
Result<DecideResult> decide(const policy::Policy& policy, const DecideRequest& request);

// Reads and parses FILE, or the built-in default when `file` is empty.
Result<policy::Policy> load_policy(const std::optional<std::filesystem::path>& file);

// Gathers evidence only (no policy): used by decide and by verify-repo.
Result<policy::Evidence> gather_evidence(const DecideRequest& request);

}  // namespace chartprov::app
