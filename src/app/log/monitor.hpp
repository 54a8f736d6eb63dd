#pragma once
// `chartprov log monitor` (issue 17): follows a transparency log, checks that
// each new tree extends the last one it saw, and judges every new entry
// against the trust root. One round:
//
//  1. fetch /checkpoint; it must parse, name the log's origin and be signed
//     by the log's key under that name (tlog::checkpoint_signed_by);
//  2. compare it with the state (monitor_state.hpp): a smaller tree, or the
//     same size with another root, is a split view;
//  3. fetch the entry bundles from the state's size to the new size, hash
//     each entry onto the state's compact range, and require the resulting
//     root to be the checkpoint's: the new tree extends the old one, and these
//     are all its new entries;
//  4. parse each entry (tlog::parse_chart_entry) and judge it
//     (entry_judgement.hpp); before an entry's finding becomes an alert, check
//     its signature again (entry_signature.hpp, at the entry's time): one that
//     does not verify is log_forged_entry instead, an alert about the log
//     (findings past kMaxAlertsPerRound are counted, not checked).
//
// Findings are alerts (MonitorAlert, then app::emit events of kind
// "monitor"); the state advances only when the tree was proven and every
// alert was handed to the sinks.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/events/events.hpp"
#include "app/events/monitor_metrics.hpp"
#include "app/log/entry_judgement.hpp"
#include "app/log/log_client.hpp"
#include "app/log/monitor_state.hpp"
#include "infra/openssl/pkey.hpp"
#include "trust/trust_root.hpp"

namespace chartprov::app::log {

// Findings listed one by one in a round; past this, they are counted and
// reported by one alert (log_too_many_findings) so that a round's memory and
// delivery time stay bounded whatever the log holds.
inline constexpr std::size_t kMaxAlertsPerRound = 1000;

// The log a monitor follows: where, and the key and name its checkpoints are
// signed under.
struct MonitoredLog {
  std::string url;     // log_base_url()
  std::string origin;  // the checkpoint's origin line and the signature's key name
  crypto::PKey key;
};

// The tlog of the trust root's embedded Sigstore trusted root whose baseUrl is
// `url` (both without trailing slashes; scheme and host compared without
// case), valid at `now`; of several, the one whose validity started last.
// Its origin is the baseUrl's host. Refusals (input errors): the trust root
// embeds no Sigstore trusted root ("the trust root embeds no Sigstore trusted
// root: chartprov trust set-sigstore-root, or --log-key and --origin"); one
// that does not parse; no tlog for that URL valid now ("the trust root lists
// no log at URL").
Result<MonitoredLog> log_from_trust_root(const trust::TrustRoot& root, const std::string& url, std::int64_t now);

// The log by an explicit public key file (PEM SPKI, Ed25519 or ECDSA) and
// origin. Refusals: an unreadable key file or one that is not a public key,
// an origin that is not a note key name (tlog::is_note_name).
Result<MonitoredLog> log_from_key_file(const std::string& url, const std::filesystem::path& key_file,
                                       const std::string& origin);

struct MonitorAlert {
  std::string reason_code;             // "log_split_view", "log_unlisted_signer", "log_forged_entry", ...
  bool critical = false;               // event decision "deny" (Alertmanager severity critical), else "warn"
  std::string reason;                  // one line
  std::optional<std::uint64_t> index;  // the entry's, for an entry's finding
  std::string chart, version, digest;  // digest "sha256:<hex>"
  std::vector<std::string> signers;
};

struct RoundResult {
  std::uint64_t from = 0, to = 0;  // the entries read: [from, to)
  std::uint64_t allowed = 0;       // entries by a listed signer within its scope
  std::uint64_t unwatched = 0;     // entries by unlisted signers for charts nobody watches
  std::vector<MonitorAlert> alerts;
  std::optional<MonitorState> next;        // the state to keep: set when the log's tree was proven
  std::vector<std::string> sink_failures;  // monitor_round: the sinks that failed without failing emit()
};

// Steps 1 to 4, without side effects. Never an Error: a log that cannot be
// read or does not check out is an alert (log_unreachable, log_bad_checkpoint,
// log_split_view, log_entries_mismatch), and then `next` is unset. With no
// state the log is read from its first entry. When the tree is unchanged,
// `next` is the state as it was.
// every_signature: check the signature of every entry read, not only of those
// with a finding (an audit: about 175 us an entry); one that does not verify
// is log_forged_entry whatever the judge said.
RoundResult check_log(LogReader& reader, const MonitoredLog& log, const std::optional<MonitorState>& state,
                      EntryJudge& judge, bool every_signature = false);

// The event of an alert: kind "monitor", decision "deny" or "warn", the log's
// URL and the entry's index, chart name, version, digest and signers.
Event monitor_event(const MonitorAlert& alert, const std::string& log_url, std::int64_t time);

struct MonitorRequest {
  std::string log_url;
  std::filesystem::path trust_dir;
  std::filesystem::path state_file;
  std::optional<std::filesystem::path> log_key_file;  // with origin: instead of the trust root's log
  std::string origin;
  std::vector<std::string> watch;  // extra chart globs
  bool every_signature = false;    // check_log's audit mode
  EventSinks sinks;
  std::int64_t now = 0;  // 0: the clock
};

// One round: the trust root loaded (app/trust/trust_store.hpp load_trust_dir,
// every round, so that an update is followed), the state read, check_log,
// every alert emitted, then the state written when `next` is set. With a
// metrics textfile, the round is counted (count_round) whatever its outcome,
// an error included; a count that cannot be written is a sink failure. Errors
// (nothing written): the trust root's, the log key's, a state file that
// cannot be read or is damaged, an emit() failure (the audit log, or an alert
// under fail_if_alert_fails), and a state that cannot be written.
Result<RoundResult> monitor_round(LogReader& reader, const MonitorRequest& request);

// Adds one round to the sinks' metrics textfile (app/events/monitor_metrics.hpp).
// Returns what failed, in one line, or nothing (also without a textfile).
std::optional<std::string> count_round(const MonitorRequest& request, const MonitorSample& sample);

// count_round for a round that could not start (the log's URL or client):
// result "error".
std::optional<std::string> count_failed_round(const MonitorRequest& request);

}  // namespace chartprov::app::log
