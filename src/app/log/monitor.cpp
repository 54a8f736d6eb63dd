#include "app/log/monitor.hpp"

#include <algorithm>
#include <cctype>

#include "app/events/metrics.hpp"
#include "app/log/entry_signature.hpp"
#include "app/trust/trust_store.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "infra/openssl/key_file.hpp"
#include "infra/openssl/spki.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/merkle.hpp"
#include "tlog/note_signer.hpp"
#include "util/clock.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"
#include "util/url.hpp"

namespace chartprov::app::log {
namespace {

MonitorAlert log_alert(const char* code, bool critical, std::string reason) {
  MonitorAlert a;
  a.reason_code = code;
  a.critical = critical;
  a.reason = std::move(reason);
  return a;
}

// "https://Log.Example/x/" and "https://log.example/x" are one log: the
// scheme and host compared without case, no trailing slash.
std::string normal_url(std::string url) {
  while (url.ends_with('/')) url.pop_back();
  const auto scheme_end = url.find("://");
  const auto host_end = scheme_end == std::string::npos ? std::string::npos : url.find('/', scheme_end + 3);
  const std::size_t stop = host_end == std::string::npos ? url.size() : host_end;
  std::transform(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(stop), url.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return url;
}

bool entry_critical(EntryFinding f) {
  return f != EntryFinding::key_outside_window && f != EntryFinding::identity_outside_window &&
         f != EntryFinding::unreadable_signer;
}

// The entries of the tree past the state, bundle by bundle, kTilesPerFetch
// bundles per fetch: each hashed onto `range`, parsed and judged.
class EntryWalk {
 public:
  EntryWalk(LogReader& reader, tlog::CompactRange& range, EntryJudge& judge, RoundResult& out, bool every_signature)
      : reader_(reader), range_(range), judge_(judge), out_(out), every_signature_(every_signature) {}

  // The alert for a log that does not serve its entries whole, or nothing.
  std::optional<MonitorAlert> walk(std::uint64_t from, std::uint64_t to) {
    const std::uint64_t first = from / tlog::kTileWidth;
    const std::uint64_t last = (to - 1) / tlog::kTileWidth;
    std::vector<tlog::TileId> batch;
    for (std::uint64_t b = first; b <= last; b += kTilesPerFetch) {
      batch.clear();
      for (std::uint64_t i = b; i <= last && i < b + kTilesPerFetch; ++i) {
        tlog::TileId id;
        id.entries = true;
        id.index = i;
        id.width = static_cast<unsigned>(std::min<std::uint64_t>(tlog::kTileWidth, to - i * tlog::kTileWidth));
        batch.push_back(id);
      }
      auto bundles = reader_.tiles(batch);
      if (!bundles) return log_alert("log_unreachable", false, bundles.error().message);
      for (std::size_t k = 0; k < batch.size(); ++k) {
        const tlog::TileId& id = batch[k];
        auto entries = tlog::parse_entry_bundle((*bundles)[k], id.width);
        if (!entries) {
          return log_alert("log_entries_mismatch", true,
                           "the log served " + tlog::tile_path(id) + " that does not read: " + entries.error().message);
        }
        const std::uint64_t base = id.index * tlog::kTileWidth;
        for (std::uint64_t j = from > base ? from - base : 0; j < entries->size(); ++j) {
          if (auto st = one(base + j, (*entries)[j]); !st) {
            return log_alert("log_entries_mismatch", true, st.error().message);
          }
        }
      }
    }
    return std::nullopt;
  }

 private:
  Status one(std::uint64_t index, const Bytes& leaf) {
    TRY_STATUS(range_.append(tlog::leaf_hash(leaf)));
    auto entry = tlog::parse_chart_entry(leaf);
    if (!entry) {
      MonitorAlert a =
          log_alert("log_bad_entry", false, "entry " + std::to_string(index) + ": " + entry.error().message);
      a.index = index;
      add(std::move(a));
      return ok_status();
    }
    EntryVerdict v = judge_.judge(*entry);
    // An alert names a key: the signature is checked again first, so that it never rests on the
    // log's word alone (entry_signature.hpp). One that does not verify implicates the log. By
    // default only for the alerts listed one by one (past the cap they are counted, and a flood
    // of findings must not cost a verification each); every entry in an audit.
    const bool finding = v.finding != EntryFinding::allowed && v.finding != EntryFinding::unwatched;
    const bool check = every_signature_ || (finding && v.finding != EntryFinding::unreadable_signer &&
                                            out_.alerts.size() < kMaxAlertsPerRound);
    Status signature = ok_status();
    if (check) signature = check_entry_signature(*entry, entry->event.time);
    if (signature && v.finding == EntryFinding::allowed) {
      ++out_.allowed;
      return ok_status();
    }
    if (signature && v.finding == EntryFinding::unwatched) {
      ++out_.unwatched;
      return ok_status();
    }
    MonitorAlert a = log_alert(finding_code(v.finding), entry_critical(v.finding), std::move(v.reason));
    if (!signature) {
      a = log_alert("log_forged_entry", true,
                    "entry " + std::to_string(index) + " holds a signature for chart \"" + entry->event.chart + "\" " +
                        entry->event.version + " that does not verify (" + signature.error().message +
                        "): the log logged it unchecked, or forged it; " + v.signer + " is not implicated");
    }
    a.index = index;
    a.chart = entry->event.chart;
    a.version = entry->event.version;
    a.digest = "sha256:" + hex_encode(entry->digest);
    a.signers.push_back(std::move(v.signer));
    add(std::move(a));
    return ok_status();
  }

  void add(MonitorAlert a) {
    if (out_.alerts.size() < kMaxAlertsPerRound) {
      out_.alerts.push_back(std::move(a));
      return;
    }
    if (!more_) more_ = std::make_pair(*a.index, std::uint64_t{0});
    ++more_->second;
    last_more_ = *a.index;
  }

 public:
  // The summary of the findings past kMaxAlertsPerRound, if any.
  std::optional<MonitorAlert> overflow() const {
    if (!more_) return std::nullopt;
    return log_alert("log_too_many_findings", true,
                     std::to_string(more_->second) + " more findings in entries " + std::to_string(more_->first) +
                         " to " + std::to_string(last_more_) + " were not sent one by one: read them in the log");
  }

 private:
  LogReader& reader_;
  tlog::CompactRange& range_;
  EntryJudge& judge_;
  RoundResult& out_;
  bool every_signature_;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> more_;  // first index, count
  std::uint64_t last_more_ = 0;
};

}  // namespace

Result<MonitoredLog> log_from_trust_root(const trust::TrustRoot& root, const std::string& url, std::int64_t now) {
  if (root.sigstore_trusted_root.empty()) {
    return input_error(
        "the trust root embeds no Sigstore trusted root: chartprov trust set-sigstore-root, or --log-key and "
        "--origin");
  }
  auto sigstore_root = sigstore::parse_trusted_root(root.sigstore_trusted_root);
  if (!sigstore_root) return sigstore_root.error().with_context("the trust root's Sigstore trusted root");
  const std::string wanted = normal_url(url);
  const sigstore::TransparencyLog* best = nullptr;
  for (const auto& t : sigstore_root->tlogs) {
    if (normal_url(t.base_url) != wanted || !t.valid.contains(now)) continue;
    if (best == nullptr || t.valid.start > best->valid.start) best = &t;
  }
  if (best == nullptr) return input_error("the trust root lists no log at " + redact_url(url));
  TRY(crypto::PKey key, crypto::parse_spki_der(best->spki));
  return MonitoredLog{url, best->origin, std::move(key)};
}

Result<MonitoredLog> log_from_key_file(const std::string& url, const std::filesystem::path& key_file,
                                       const std::string& origin) {
  if (!tlog::is_note_name(origin)) return usage_error("--origin: not a log key name (no spaces, '+' or controls)");
  TRY(const std::string pem, read_text_file(key_file, crypto::kMaxKeyFileSize));
  auto key = crypto::parse_public_key_pem(pem);
  if (!key) return key.error().with_context(key_file.string());
  return MonitoredLog{url, origin, std::move(*key)};
}

RoundResult check_log(LogReader& reader, const MonitoredLog& log, const std::optional<MonitorState>& state,
                      EntryJudge& judge, bool every_signature) {
  RoundResult out;
  const auto fail = [&out](MonitorAlert a) {
    out.alerts.push_back(std::move(a));
    return std::move(out);
  };
  auto note = reader.checkpoint();
  if (!note) return fail(log_alert("log_unreachable", false, note.error().message));
  auto cp = tlog::parse_checkpoint(*note);
  if (!cp) return fail(log_alert("log_bad_checkpoint", true, "the log's " + cp.error().message));
  if (cp->origin != log.origin) {
    return fail(log_alert("log_bad_checkpoint", true,
                          "the log's checkpoint names origin \"" + cp->origin + "\", not \"" + log.origin + "\""));
  }
  if (!tlog::checkpoint_signed_by(*cp, log.key, log.origin)) {
    return fail(log_alert("log_bad_checkpoint", true, "the log's checkpoint is not signed by the log's key"));
  }
  const std::uint64_t from = state ? state->range.size() : 0;
  out.from = out.to = from;
  if (state && state->origin != cp->origin) {
    return fail(log_alert("log_split_view", true,
                          "the state is of log \"" + state->origin + "\", the checkpoint of \"" + cp->origin + "\""));
  }
  if (cp->size < from) {
    return fail(log_alert("log_split_view", true,
                          "the log signed a tree of " + std::to_string(cp->size) + " entries after one of " +
                              std::to_string(from) + ": it is not the tree this monitor saw"));
  }
  if (cp->size == from) {
    const Bytes root = state ? state->range.root() : tlog::CompactRange().root();
    if (cp->root_hash != root) {
      return fail(log_alert("log_split_view", true,
                            "the log signed two different trees of " + std::to_string(from) + " entries"));
    }
    if (state) out.next = *state;
    return out;
  }
  tlog::CompactRange range = state ? state->range : tlog::CompactRange();
  EntryWalk walk(reader, range, judge, out, every_signature);
  if (auto broken = walk.walk(from, cp->size)) {
    out.alerts.clear();  // entries that are not proven to be the log's prove nothing
    return fail(std::move(*broken));
  }
  out.to = cp->size;
  if (range.root() != cp->root_hash) {
    out.alerts.clear();
    out.to = from;
    return fail(log_alert("log_entries_mismatch", true,
                          "the log's entries do not match its checkpoint: entries " + std::to_string(from) + " to " +
                              std::to_string(cp->size - 1) + " do not make the signed tree of " +
                              std::to_string(cp->size) + " from the one this monitor saw"));
  }
  if (auto more = walk.overflow()) out.alerts.push_back(std::move(*more));
  out.next = MonitorState{cp->origin, std::move(range), std::move(*note)};
  return out;
}

Event monitor_event(const MonitorAlert& alert, const std::string& log_url, std::int64_t time) {
  Event e;
  e.kind = "monitor";
  e.time = time;
  e.log = log_url;
  e.log_index = alert.index;
  e.chart = alert.index ? log_url + "#" + std::to_string(*alert.index) : log_url;
  e.name = alert.chart;
  e.version = alert.version;
  e.digest = alert.digest;
  e.signers = alert.signers;
  e.decision = alert.critical ? "deny" : "warn";
  e.reasons = {alert.reason};
  e.reason_code = alert.reason_code;
  return e;
}

namespace {

Result<RoundResult> run_round(LogReader& reader, const MonitorRequest& request, std::int64_t now) {
  TRY(const trust::TrustRoot root, load_trust_dir(request.trust_dir, now));
  TRY(const std::string url, log_base_url(request.log_url));
  Result<MonitoredLog> log = request.log_key_file ? log_from_key_file(url, *request.log_key_file, request.origin)
                                                  : log_from_trust_root(root, url, now);
  if (!log) return log.error();
  TRY(const std::optional<MonitorState> state, load_monitor_state(request.state_file));
  if (state && state->origin != log->origin) {
    return input_error("monitor state " + request.state_file.string() + ": of log \"" + state->origin +
                       "\", not of \"" + log->origin + "\" (one state file per log)");
  }
  EntryJudge judge(root, request.watch);
  RoundResult result = check_log(reader, *log, state, judge, request.every_signature);
  for (const auto& alert : result.alerts) {
    TRY(EmitReport sent, emit(monitor_event(alert, url, now), request.sinks));
    for (auto& f : sent.failures) result.sink_failures.push_back(std::move(f));
  }
  if (result.next) TRY_STATUS(save_monitor_state(request.state_file, *result.next));
  return result;
}

// The log as the metrics name it: as events do (log_base_url), credentials removed.
std::string metrics_log_label(const std::string& log_url) {
  auto base = log_base_url(log_url);
  return redact_url(base ? *base : log_url);
}

// A round that ended in an error: counted, with nothing read.
MonitorSample error_sample(const std::string& log_url, std::int64_t now) {
  MonitorSample s;
  s.log = metrics_log_label(log_url);
  s.result = "error";
  s.time = now;
  return s;
}

MonitorSample monitor_sample(const Result<RoundResult>& round, const std::string& log_url, std::int64_t now) {
  MonitorSample s = error_sample(log_url, now);
  if (!round) return s;
  s.result = round->alerts.empty() ? "ok" : "alert";
  for (const auto& a : round->alerts) s.alerts.push_back(a.reason_code);
  if (round->next) {
    s.entries = round->to - round->from;
    s.tree_size = round->next->range.size();
  }
  return s;
}

}  // namespace

Result<RoundResult> monitor_round(LogReader& reader, const MonitorRequest& request) {
  const std::int64_t now = now_or(request.now);
  Result<RoundResult> round = run_round(reader, request, now);
  if (auto failure = count_round(request, monitor_sample(round, request.log_url, now)); failure && round) {
    round->sink_failures.push_back(std::move(*failure));
  }
  return round;
}

std::optional<std::string> count_round(const MonitorRequest& request, const MonitorSample& sample) {
  if (!request.sinks.metrics_textfile) return std::nullopt;
  if (auto st = add_to_metrics_textfile(*request.sinks.metrics_textfile, sample); !st) {
    return "metrics textfile " + request.sinks.metrics_textfile->string() + ": " + st.error().message;
  }
  return std::nullopt;
}

std::optional<std::string> count_failed_round(const MonitorRequest& request) {
  return count_round(request, error_sample(request.log_url, now_or(request.now)));
}

}  // namespace chartprov::app::log
