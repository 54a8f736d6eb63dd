#pragma once
// The .prov judge with a keyring (judge_prov) and the checks of a chart and
// its --signer pins made before anything is read. Plain verify, verify-repo,
// mirror and decide() call them (verify_plain.hpp, decide.hpp). Verification
// failures are reasons in the report (verified=false with every reason); only
// input errors (a missing chart, bad arguments) are Errors.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/verify/signature_report.hpp"
#include "app/verify/staged_chart.hpp"
#include "chart/archive_reader.hpp"
#include "keys/key_history.hpp"
#include "openpgp/keyring.hpp"
#include "util/result.hpp"

namespace chartprov::app {

// A chart and its .prov as the keyring's judge is asked for them.
struct VerifyRequest {
  std::filesystem::path chart;
  std::optional<std::filesystem::path> prov;  // default: <chart>.prov
  std::vector<std::string> pinned_signers;    // fingerprints (hex, any case, spaces allowed)
  std::int64_t now = 0;                       // unix time; 0 = the clock
};

struct VerifyReport {
  bool verified = false;
  std::string chart_file;  // base name
  std::string chart_name;  // from the archive's Chart.yaml (empty if unreadable)
  std::string chart_version;
  std::string digest;  // sha256:<hex> of the archive bytes
  std::vector<SignatureReport> signatures;
  std::vector<std::string> reasons;       // every reason verification failed; empty when verified
  const SignatureReport* signer() const;  // the first good signature, if verified
};

// What plain verify refuses before it reads anything (the keyring neither):
// a --signer that is not a full fingerprint (normalize_fingerprint); a chart
// whose name does not end in .tgz ("chart must be a .tgz file: CHART"); a
// directory ("CHART is a directory; unpacked charts cannot be verified"); a
// chart that is not there (chart_not_found).
[[nodiscard]] Status check_verify_request(const VerifyRequest& request);

// The part of check_verify_request that needs no file system: the --signer
// fingerprints and the chart's name (".tgz"). For callers that have looked
// at the chart's file already (verify-repo's walk).
[[nodiscard]] Status check_request_names(const VerifyRequest& request);

// stage_chart for the .prov judge, which reports a chart that cannot be read
// (not a regular file, too large, a read error) as a reason rather than an
// Error: then `archive` holds the reader's refusal and `digest` the file's
// SHA-256 when its bytes can be read. Never an Error.
StagedChart stage_chart_or_refusal(const StageRequest& request);

// The facts judge_prov starts from, taken from a staged chart: the file's
// base name and digest, and Chart.yaml's name and version, or the archive
// reader's refusal as the first reason.
VerifyReport prov_report_base(const StagedChart& staged);

// The .prov judge with a keyring, over what was read once: `report` holds
// the chart's facts (chart_file, digest, chart_name, chart_version, and the
// archive's reason when it could not be read), `archive` the archive when it
// could, `prov` the .prov's text or why it could not be read. Every
// signature is judged (keyring, pins, key history, as of `now`) and the
// signed files: digest, name, version, file name. Never an Error: every
// refusal is a reason in the report.
VerifyReport judge_prov(VerifyReport report, const chart::ChartArchive* archive, const Result<std::string_view>& prov,
                        const openpgp::Keyring& keyring, const keys::KeyHistory* history,
                        const std::vector<std::string>& pinned_signers, std::int64_t now);

// Normalises a fingerprint given by a user: hex digits only, upper case.
// Returns an error for anything that is not 40 (v4) or 64 (v6) hex digits.
Result<std::string> normalize_fingerprint(std::string_view text);

}  // namespace chartprov::app
