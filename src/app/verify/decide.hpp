#pragma once
// decide: the one verification pipeline behind `verify --env`, the deploy
// gate, `serve` (POST /v1/verify) and `verify-repo --env` (issues 5, 13):
//
//   TrustMaterial (loaded once per run)  ─┐
//   StagedChart (the chart read once)     ─┼─► one judge per envelope kind ─► Evidence ─► policy::evaluate
//                                          │   (.prov, cosign blob, Sigstore bundle, OCI signatures)
//
// A file chart is staged and judged in memory; an oci:// reference is pulled
// by the registry client, whose answers are judged the same way. Nothing here
// prints.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "app/helpers/oci_client.hpp"
#include "app/verify/staged_chart.hpp"
#include "app/verify/trust_material.hpp"
#include "policy/decision.hpp"
#include "policy/evidence.hpp"
#include "policy/policy.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct DecideRequest {
  std::string chart;    // path to CHART.tgz, or oci://HOST/REPO/NAME (with version)
  std::string version;  // oci:// only, when the reference has no tag
  std::string environment;
  TrustSource trust;         // loaded by decide(policy, request); oci:// hands the paths to the registry client
  OciConnection connection;  // oci:// only
  // The deploy gate's private copy: write the chart bytes that were verified
  // (the same bytes, read once) and the envelopes beside it into this
  // existing directory, under the chart's file name (oci://: NAME-VERSION.tgz).
  // Unset: nothing is written.
  std::optional<std::filesystem::path> save_dir;
  std::int64_t now = 0;  // 0: the clock
};

struct DecideResult {
  policy::Evidence evidence;
  policy::Decision decision;
  std::optional<std::filesystem::path> saved_chart;  // with save_dir: the private copy
};

// One decision, loading the trust material for it (one-shot callers).
// Errors are input or usage errors (exit 2) and a deny for every caller:
// not exactly one source of trusted keys, no chart, trust material that does
// not load (load_trust_material), a chart that is not a file or cannot be
// read, an envelope beside it that cannot be read, a registry that cannot be
// reached. Every verdict about the chart is in the result.
Result<DecideResult> decide(const policy::Policy& policy, const DecideRequest& request);

// The same with the trust material loaded once by the caller (verify-repo,
// serve, the gate): request.trust is not loaded again (oci:// hands its
// paths to the registry client). Same refusals, less the material's.
Result<DecideResult> decide(const policy::Policy& policy, const DecideRequest& request, const TrustMaterial& material);

// The pipeline's last steps, without I/O: every envelope of the staged chart
// judged against the material (the trust root's judge, or the keyring's for
// the .prov and the key's for the rest), its build-provenance attestation
// too (judge_attestation.hpp), then the environment's policy.
// `chart` is what the user named (the evidence names it). Never an Error: an
// unreadable archive or envelope is a problem or a verdict in the result.
DecideResult decide_staged(const policy::Policy& policy, const StagedChart& staged, const TrustMaterial& material,
                           std::string_view chart, std::string_view environment, std::int64_t now);

// What to read of a file chart for this material: the envelopes its judges
// look at (a keyring alone reads the .prov only) and the keys a .sig may be
// checked with.
StageRequest stage_request_for(const std::filesystem::path& chart, const TrustMaterial& material);

// Reads and parses FILE, or the built-in default when `file` is empty.
Result<policy::Policy> load_policy(const std::optional<std::filesystem::path>& file);

}  // namespace chartprov::app
