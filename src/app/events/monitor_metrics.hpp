#pragma once
// The log monitor's metrics (issue 17), kept in the same textfile as the
// decisions' (app/events/metrics.hpp) so that one node_exporter collector
// serves both:
//
//   chartprov_log_monitor_rounds_total{log,result}    counter; result: ok, alert, error
//   chartprov_log_monitor_alerts_total{log,reason}    counter; reason: the alert's reason code
//   chartprov_log_monitor_entries_total{log}          counter; entries read and judged
//   chartprov_log_monitor_tree_size{log}              gauge; the last tree size proven
//   chartprov_log_monitor_last_proven_timestamp_seconds{log}
//                                                     gauge; when a round last proved the tree
//
// A monitor that stops proving its log is itself a failure: alert on
// time() - chartprov_log_monitor_last_proven_timestamp_seconds (docs/TRANSPARENCY-LOG.md).
// Every map holds at most kMaxSeries series; past that, samples count under
// kOverflowLabel.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace chartprov::app {

// One round of `chartprov log monitor`.
struct MonitorSample {
  std::string log;                         // the log's URL, credentials redacted
  std::string result;                      // "ok", "alert" or "error"
  std::vector<std::string> alerts;         // each alert's reason code
  std::uint64_t entries = 0;               // entries read and judged
  std::optional<std::uint64_t> tree_size;  // set when the round proved the log's tree
  std::int64_t time = 0;                   // the round's time, Unix seconds
};

struct MonitorMetrics {
  std::map<std::pair<std::string, std::string>, std::uint64_t> rounds;  // log, result
  std::map<std::pair<std::string, std::string>, std::uint64_t> alerts;  // log, reason
  std::map<std::string, std::uint64_t> entries;                         // log
  std::map<std::string, std::uint64_t> tree_size;                       // log
  std::map<std::string, std::uint64_t> proven_at;                       // log

  bool empty() const;
  void add(const MonitorSample& sample);
};

// Appends the five families (HELP, TYPE, sorted series) to `out`; nothing
// when `m` is empty, so that a decision-only exposition stays as it was.
void render_monitor_metrics(const MonitorMetrics& m, std::string& out);

// Reads one line of an exposition text into `m`: true when it is one of the
// monitor's HELP, TYPE or sample lines, false when it is none of them (another
// family's). Errors: a monitor sample with other labels, a value that is not
// a decimal count, a series seen twice.
Result<bool> read_monitor_metrics_line(std::string_view line, MonitorMetrics& m);

}  // namespace chartprov::app
