#include "app/events/monitor_metrics.hpp"

#include <array>

#include "app/events/metrics_line.hpp"

namespace chartprov::app {
namespace {

struct Family {
  std::string_view name, help, type;
};

constexpr Family kRounds{
    "chartprov_log_monitor_rounds_total",
    "# HELP chartprov_log_monitor_rounds_total Transparency log monitor rounds by log and result (ok, alert, error).",
    "# TYPE chartprov_log_monitor_rounds_total counter"};
constexpr Family kAlerts{
    "chartprov_log_monitor_alerts_total",
    "# HELP chartprov_log_monitor_alerts_total Transparency log monitor alerts by log and reason code.",
    "# TYPE chartprov_log_monitor_alerts_total counter"};
constexpr Family kEntries{
    "chartprov_log_monitor_entries_total",
    "# HELP chartprov_log_monitor_entries_total Transparency log entries the monitor read and judged, by log.",
    "# TYPE chartprov_log_monitor_entries_total counter"};
constexpr Family kTreeSize{
    "chartprov_log_monitor_tree_size",
    "# HELP chartprov_log_monitor_tree_size The size of the last tree the monitor proved, by log.",
    "# TYPE chartprov_log_monitor_tree_size gauge"};
constexpr Family kProvenAt{"chartprov_log_monitor_last_proven_timestamp_seconds",
                           "# HELP chartprov_log_monitor_last_proven_timestamp_seconds When the monitor last proved "
                           "the log's tree, in Unix seconds, by log.",
                           "# TYPE chartprov_log_monitor_last_proven_timestamp_seconds gauge"};
constexpr std::array<const Family*, 5> kFamilies = {&kRounds, &kAlerts, &kEntries, &kTreeSize, &kProvenAt};

template <typename Key>
Key bounded(const std::map<Key, std::uint64_t>& m, Key key, const Key& overflow) {
  return m.contains(key) || m.size() < kMaxSeries ? key : overflow;
}

using Pair = std::pair<std::string, std::string>;
const Pair kOverflowPair{std::string(kOverflowLabel), std::string(kOverflowLabel)};
const std::string kOverflowLog{kOverflowLabel};

void render_pairs(const Family& f, std::string_view second, const std::map<Pair, std::uint64_t>& m, std::string& out) {
  out.append(f.help).append(1, '\n').append(f.type).append(1, '\n');
  for (const auto& [key, n] : m) {
    out += std::string(f.name) + "{log=\"" + escape_label_value(key.first) + "\"," + std::string(second) + "=\"" +
           escape_label_value(key.second) + "\"} " + std::to_string(n) + '\n';
  }
}

void render_logs(const Family& f, const std::map<std::string, std::uint64_t>& m, std::string& out) {
  out.append(f.help).append(1, '\n').append(f.type).append(1, '\n');
  for (const auto& [log, n] : m) {
    out += std::string(f.name) + "{log=\"" + escape_label_value(log) + "\"} " + std::to_string(n) + '\n';
  }
}

Result<bool> store(std::map<Pair, std::uint64_t>& m, const SampleLine& s, std::string_view second) {
  if (!has_labels(s, {"log", second})) return input_error("unexpected labels on " + s.name);
  const auto n = parse_count(s.value);
  if (!n) return input_error("bad value for " + s.name);
  if (!m.emplace(Pair(s.labels[0].second, s.labels[1].second), *n).second) return input_error("duplicate series");
  return true;
}

Result<bool> store(std::map<std::string, std::uint64_t>& m, const SampleLine& s) {
  if (!has_labels(s, {"log"})) return input_error("unexpected labels on " + s.name);
  const auto n = parse_count(s.value);
  if (!n) return input_error("bad value for " + s.name);
  if (!m.emplace(s.labels[0].second, *n).second) return input_error("duplicate series");
  return true;
}

}  // namespace

bool MonitorMetrics::empty() const {
  return rounds.empty() && alerts.empty() && entries.empty() && tree_size.empty() && proven_at.empty();
}

void MonitorMetrics::add(const MonitorSample& sample) {
  ++rounds[bounded(rounds, Pair(sample.log, sample.result), kOverflowPair)];
  for (const auto& reason : sample.alerts) ++alerts[bounded(alerts, Pair(sample.log, reason), kOverflowPair)];
  entries[bounded(entries, sample.log, kOverflowLog)] += sample.entries;
  if (sample.tree_size) {
    tree_size[bounded(tree_size, sample.log, kOverflowLog)] = *sample.tree_size;
    proven_at[bounded(proven_at, sample.log, kOverflowLog)] =
        sample.time > 0 ? static_cast<std::uint64_t>(sample.time) : 0;
  }
}

void render_monitor_metrics(const MonitorMetrics& m, std::string& out) {
  if (m.empty()) return;
  render_pairs(kRounds, "result", m.rounds, out);
  render_pairs(kAlerts, "reason", m.alerts, out);
  render_logs(kEntries, m.entries, out);
  render_logs(kTreeSize, m.tree_size, out);
  render_logs(kProvenAt, m.proven_at, out);
}

Result<bool> read_monitor_metrics_line(std::string_view line, MonitorMetrics& m) {
  for (const Family* f : kFamilies) {
    if (line == f->help || line == f->type) return true;
  }
  if (!line.starts_with("chartprov_log_monitor_")) return false;
  const auto s = parse_sample_line(line);
  if (!s) return input_error("unexpected line");
  if (s->name == kRounds.name) return store(m.rounds, *s, "result");
  if (s->name == kAlerts.name) return store(m.alerts, *s, "reason");
  if (s->name == kEntries.name) return store(m.entries, *s);
  if (s->name == kTreeSize.name) return store(m.tree_size, *s);
  if (s->name == kProvenAt.name) return store(m.proven_at, *s);
  return input_error("unexpected metric " + s->name);
}

}  // namespace chartprov::app
