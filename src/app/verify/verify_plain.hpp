#pragma once
// Plain verify (no --env, no --policy): `verify CHART --keyring K`, `--key K`
// (with or without --keyring), `--trust-dir D`, on the one pipeline (issue
// 13): the trust material loaded once, the chart staged once (StagedChart),
// one judge per envelope kind, then policy::evaluate under the built-in
// no-environment policy for that material (policy::no_environment_policy).
// The decision is the verdict; each judge's report is kept, so that the CLI
// prints what plain verify has always printed. Nothing here prints.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/verify/oci_verify.hpp"
#include "app/verify/trust_material.hpp"
#include "app/verify/verify.hpp"
#include "app/verify/verify_envelopes.hpp"
#include "app/verify/verify_trusted.hpp"
#include "policy/decision.hpp"
#include "policy/evidence.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct PlainVerifyRequest {
  std::filesystem::path chart;  // a file; oci:// references are the registry client's
  // trust_dir; or keyring and/or key, with key_history (keyring), trusted_root
  // (key) and use_keyring_cache.
  TrustSource trust;
  // Named envelopes: with --key, exactly those are judged by the key (the
  // .prov only without --keyring); with --keyring, `prov` is the .prov it
  // judges (default CHART.prov).
  std::optional<std::filesystem::path> prov, signature, bundle;
  std::vector<std::string> pinned_signers;  // --signer: the keyring's .prov only
  std::int64_t now = 0;                     // 0: the clock
};

struct PlainVerifyResult {
  // Each judge's report, as plain verify prints it: `prov` with a keyring,
  // `keyed` with a key (both with --key --keyring), `trusted` with a trust dir.
  std::optional<VerifyReport> prov;
  std::optional<KeyVerifyReport> keyed;
  std::optional<TrustVerifyReport> trusted;
  policy::Evidence evidence;
  policy::Decision decision;  // under policy::no_environment_policy(plain_trust_of(trust))
  bool verified() const { return decision.allowed; }
};

// Which no-environment policy this material is judged under. The source must
// hold a trust dir, or a keyring and/or a key.
policy::PlainTrust plain_trust_of(const TrustSource& source);

// Refusals, in the order plain verify has always reported them (each an
// input or usage error, exit 2; every verdict about the chart is in the
// result):
//   not exactly one source of trusted keys (check_one_trust_source);
//   --trust-dir: a trust root that does not load or has expired; a chart that
//     is not a regular file or cannot be read (stage_chart);
//   --key: a key or trusted root that does not load; stage_for_key's
//     refusals; then with --keyring as below (the chart already read);
//   --keyring: check_verify_request's refusals; a keyring or key history
//     that does not load. A chart that cannot be read is a reason (as
//     stage_chart_or_refusal stages it), not an error.
Result<PlainVerifyResult> verify_plain(const PlainVerifyRequest& request);

// The same with the trust material loaded once by the caller (verify-repo and
// mirror, for every chart): request.trust is not read, and the chart's file is
// not looked at before it is read (a directory or a missing file is the
// reader's reason, not an Error). Refusals: material with neither a trust
// root nor a keyring or key (usage error); with a keyring, a --signer that is
// not a full fingerprint or a chart not named .tgz (check_request_names);
// --trust-dir: a chart that is not a regular file or cannot be read
// (stage_chart); --key: stage_for_key's refusals. Thread-safe.
Result<PlainVerifyResult> verify_plain(const PlainVerifyRequest& request, const TrustMaterial& material);

struct PlainOciResult {
  OciVerifyReport report;  // as plain verify prints it; report.verified is the decision's verdict
  policy::Evidence evidence;
  policy::Decision decision;  // under policy::no_environment_policy(plain_trust_of(material.source))
};

// verify oci:// with a keyring and/or a key (request.material, loaded once by
// the caller; a trust root is decide()'s): the registry's chart judged by
// verify_oci_chart, its report turned into evidence (oci_evidence) and
// decided under the no-environment policy for that material. Refusals:
// material that holds a trust root (usage error); verify_oci_chart's.
// Nothing is written: save_oci_chart, once the decision allows.
Result<PlainOciResult> verify_plain_oci(OciVerifyRequest request);

}  // namespace chartprov::app
