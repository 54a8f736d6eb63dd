#pragma once
// The log entry of a .prov (`sign --format prov --log URL` writes it beside
// the .prov as CHART.tgz.prov.tlog.json: one TransparencyLogEntry, kind
// helmprov 0.0.1, as a Sigstore bundle's tlogEntries hold them), checked
// offline against a Sigstore trusted root that lists the log
// (`chartprov log trusted-root`).
#include <filesystem>
#include <optional>
#include <string>

#include "app/verify/cosign_prov_check.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "policy/evidence.hpp"
#include "util/bytes.hpp"

namespace chartprov::app {

struct ProvLogCheck {
  bool present = false;  // the side file exists
  std::string reason;    // why it does not verify; empty when it does (or is absent)
  std::optional<policy::LogInclusion> inclusion;
};

// Reads `prov_file` + ".tlog.json" when it exists. Reasons (each prefixed
// "transparency log: "): unreadable or over sigstore::kMaxTlogEntry; not a
// TransparencyLogEntry (parse_tlog_entry's reason); a log the root does not
// list ("the log entry's log ID is not in the trusted root"); another
// kind/version than helmprov 0.0.1; a body parse_chart_entry refuses; a body
// that logs another .prov ("the log entry records another provenance file"),
// another chart digest ("... another chart digest") or another chart or
// version ("the log entry is for chart N V, not N2 V2"); check_inclusion's
// reasons (bundle_parts.hpp).
ProvLogCheck check_prov_log_entry(const std::filesystem::path& prov_file, ByteView prov, const ProvArchiveFacts& facts,
                                  const sigstore::TrustedRoot& root);

// Applies the check to a .prov's evidence: a side file that does not verify
// makes a good envelope bad (its reason); one that does adds its entry.
void judge_prov_log_entry(policy::EnvelopeEvidence& envelope, const std::filesystem::path& prov_file, ByteView prov,
                          const ProvArchiveFacts& facts, const sigstore::TrustedRoot* root);

}  // namespace chartprov::app
