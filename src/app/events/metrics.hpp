#pragma once
// Prometheus metrics (issue 5): chartprov_verifications_total{env,decision,reason},
// chartprov_verify_duration_seconds{env} (histogram),
// chartprov_expiry_warnings_total{env,kind} (issue 14: trust-root, signing-key) and the log
// monitor's families (issue 17, app/events/monitor_metrics.hpp). One in-memory
// registry for `serve` (/metrics), and a node_exporter textfile that each CLI
// run adds its sample to (locked, atomically replaced), so counters keep
// counting across processes. Text exposition format 0.0.4.
#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "app/events/metrics_line.hpp"
#include "app/events/monitor_metrics.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct DecisionSample {
  std::string environment;
  std::string decision;  // allow | deny | warn
  std::string reason;    // Decision::reason_code ("" for allow)
  double seconds = 0;
};

// Histogram bucket upper bounds in seconds: 1 ms .. 10 s (+Inf is implicit).
inline constexpr std::array<double, 13> kDurationBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                            0.25,  0.5,    1,     2.5,  5,     10};

// A textfile larger than this is not ours (ours stays far below it).
inline constexpr std::uint64_t kMaxTextfileBytes = 4u << 20;
// The first line of every textfile we write; a file without it is not ours.
inline constexpr std::string_view kTextfileMarker = "# chartprov metrics textfile; rewritten by chartprov, do not edit";

struct DurationHistogram {
  std::array<std::uint64_t, kDurationBuckets.size()> cumulative{};  // samples <= each bound
  std::uint64_t count = 0;                                          // the +Inf bucket
  double sum = 0;
};

// The values behind both metrics; plain data, not synchronised.
struct MetricsData {
  std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> verifications;  // env, decision, reason
  std::map<std::string, DurationHistogram> durations;                                        // env
  std::map<std::pair<std::string, std::string>, std::uint64_t> expiry_warnings;              // env, kind
  MonitorMetrics monitor;  // `chartprov log monitor` rounds (app/events/monitor_metrics.hpp)
  // expiring: the kind of each expiry warning the decision raised (policy::expiry_kind_name).
  void add(const DecisionSample& sample, const std::vector<std::string>& expiring = {});
};

// The exposition text (HELP and TYPE lines, sorted series, escaped labels).
std::string render_metrics(const MetricsData& data);

// Reads back what render_metrics wrote, the monitor's families included (with
// the textfile marker when `require_marker`); anything else is an input error,
// never a guess.
Result<MetricsData> parse_metrics(std::string_view text, bool require_marker);

// Thread-safe registry for the server.
class MetricsRegistry {
 public:
  void add(const DecisionSample& sample, const std::vector<std::string>& expiring = {});
  std::string render() const;

 private:
  mutable std::mutex mutex_;
  MetricsData data_;
};

// Adds one sample to the textfile (created if missing) and rewrites it
// atomically (temp file + rename) under an exclusive flock of FILE.lock,
// which is never replaced. A file that is not ours is an error.
Status add_to_metrics_textfile(const std::filesystem::path& file, const DecisionSample& sample,
                               const std::vector<std::string>& expiring = {});

// The same for one round of the log monitor.
Status add_to_metrics_textfile(const std::filesystem::path& file, const MonitorSample& sample);

}  // namespace chartprov::app
