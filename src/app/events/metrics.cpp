#include "app/events/metrics.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>
#include <set>
#include <vector>

#include "app/events/metrics_line.hpp"
#include "util/fd.hpp"
#include "util/file.hpp"

namespace chartprov::app {

namespace {

constexpr std::string_view kCounter = "chartprov_verifications_total";
constexpr std::string_view kHistogram = "chartprov_verify_duration_seconds";
constexpr std::string_view kHelpCounter =
    "# HELP chartprov_verifications_total Chart verification decisions by environment, decision (allow, deny, warn) "
    "and reason code.";
constexpr std::string_view kTypeCounter = "# TYPE chartprov_verifications_total counter";
constexpr std::string_view kHelpHistogram =
    "# HELP chartprov_verify_duration_seconds Time to gather the evidence for a chart and decide, by environment.";
constexpr std::string_view kTypeHistogram = "# TYPE chartprov_verify_duration_seconds histogram";
constexpr std::string_view kExpiry = "chartprov_expiry_warnings_total";
constexpr std::string_view kHelpExpiry =
    "# HELP chartprov_expiry_warnings_total Decisions whose trust material (kind: trust-root, signing-key) expires "
    "within the warning window, by environment and kind.";
constexpr std::string_view kTypeExpiry = "# TYPE chartprov_expiry_warnings_total counter";

std::string render(const MetricsData& data, bool marker) {
  std::string out;
  if (marker) (out += kTextfileMarker) += '\n';
  (out += kHelpCounter) += '\n';
  (out += kTypeCounter) += '\n';
  for (const auto& [key, n] : data.verifications) {
    const auto& [env, decision, reason] = key;
    out += kCounter;
    out += "{env=\"" + escape_label_value(env) + "\",decision=\"" + escape_label_value(decision) + "\",reason=\"" +
           escape_label_value(reason) + "\"} " + std::to_string(n) + '\n';
  }
  (out += kHelpHistogram) += '\n';
  (out += kTypeHistogram) += '\n';
  for (const auto& [env, h] : data.durations) {
    const std::string e = escape_label_value(env);
    for (std::size_t i = 0; i < kDurationBuckets.size(); ++i) {
      out += std::string(kHistogram) + "_bucket{env=\"" + e + "\",le=\"" + format_double(kDurationBuckets[i]) + "\"} " +
             std::to_string(h.cumulative[i]) + '\n';
    }
    out += std::string(kHistogram) + "_bucket{env=\"" + e + "\",le=\"+Inf\"} " + std::to_string(h.count) + '\n';
    out += std::string(kHistogram) + "_sum{env=\"" + e + "\"} " + format_double(h.sum) + '\n';
    out += std::string(kHistogram) + "_count{env=\"" + e + "\"} " + std::to_string(h.count) + '\n';
  }
  (out += kHelpExpiry) += '\n';
  (out += kTypeExpiry) += '\n';
  for (const auto& [key, n] : data.expiry_warnings) {
    out += std::string(kExpiry) + "{env=\"" + escape_label_value(key.first) + "\",kind=\"" +
           escape_label_value(key.second) + "\"} " + std::to_string(n) + '\n';
  }
  render_monitor_metrics(data.monitor, out);
  return out;
}

Result<std::string> read_fd(int fd, std::uint64_t size) {
  std::string text(static_cast<std::size_t>(size), '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = ::pread(fd, text.data() + got, text.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return input_error(std::string("cannot read: ") + std::strerror(errno));
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  text.resize(got);
  return text;
}

}  // namespace

void MetricsData::add(const DecisionSample& sample, const std::vector<std::string>& expiring) {
  auto key = std::make_tuple(sample.environment, sample.decision, sample.reason);
  if (!verifications.contains(key) && verifications.size() >= kMaxSeries) {
    key = std::make_tuple(std::string(kOverflowLabel), std::string(kOverflowLabel), std::string(kOverflowLabel));
  }
  ++verifications[key];
  std::string env = sample.environment;
  if (!durations.contains(env) && durations.size() >= kMaxSeries) env = std::string(kOverflowLabel);
  auto& h = durations[env];
  const double s = std::isfinite(sample.seconds) && sample.seconds > 0 ? sample.seconds : 0;
  for (std::size_t i = 0; i < kDurationBuckets.size(); ++i) {
    if (s <= kDurationBuckets[i]) ++h.cumulative[i];
  }
  ++h.count;
  h.sum += s;
  for (const auto& kind : expiring) {
    auto k = std::make_pair(sample.environment, kind);
    if (!expiry_warnings.contains(k) && expiry_warnings.size() >= kMaxSeries) {
      k = {std::string(kOverflowLabel), std::string(kOverflowLabel)};
    }
    ++expiry_warnings[k];
  }
}

std::string render_metrics(const MetricsData& data) { return render(data, false); }

Result<MetricsData> parse_metrics(std::string_view text, bool require_marker) {
  MetricsData data;
  // Which parts of each histogram were seen: every bucket, +Inf, _sum, _count exactly once.
  std::map<std::string, std::set<std::string>> seen;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  const auto bad = [&](const std::string& why) {
    return input_error("line " + std::to_string(line_no) + ": " + why + " (not a chartprov metrics file)");
  };
  if (!text.empty() && text.back() != '\n') return input_error("does not end with a complete line");
  while (pos < text.size()) {
    const auto nl = text.find('\n', pos);
    const std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (line_no == 1 && require_marker) {
      if (line != kTextfileMarker) return bad("the first line is not chartprov's marker");
      continue;
    }
    if (line == kHelpCounter || line == kTypeCounter || line == kHelpHistogram || line == kTypeHistogram ||
        line == kHelpExpiry || line == kTypeExpiry) {
      continue;
    }
    auto monitor_line = read_monitor_metrics_line(line, data.monitor);
    if (!monitor_line) return bad(monitor_line.error().message);
    if (*monitor_line) continue;
    const auto s = parse_sample_line(line);
    if (!s) return bad("unexpected line");
    if (s->name == kExpiry) {
      if (!has_labels(*s, {"env", "kind"})) return bad("unexpected labels");
      const auto n = parse_count(s->value);
      if (!n) return bad("bad counter value");
      if (!data.expiry_warnings.emplace(std::make_pair(s->labels[0].second, s->labels[1].second), *n).second)
        return bad("duplicate series");
      continue;
    }
    if (s->name == kCounter) {
      if (!has_labels(*s, {"env", "decision", "reason"})) return bad("unexpected labels");
      const auto n = parse_count(s->value);
      if (!n) return bad("bad counter value");
      const auto key = std::make_tuple(s->labels[0].second, s->labels[1].second, s->labels[2].second);
      if (!data.verifications.emplace(key, *n).second) return bad("duplicate series");
      continue;
    }
    const std::string_view name = s->name;
    if (!name.starts_with(kHistogram)) return bad("unexpected metric " + s->name);
    const std::string_view suffix = name.substr(kHistogram.size());
    const std::string& env = s->labels.empty() ? std::string() : s->labels[0].second;
    auto& h = data.durations[env];
    std::string part;
    if (suffix == "_bucket") {
      if (!has_labels(*s, {"env", "le"})) return bad("unexpected labels");
      const auto n = parse_count(s->value);
      if (!n) return bad("bad bucket value");
      const std::string& le = s->labels[1].second;
      part = "le=" + le;
      if (le == "+Inf") {
        part = "inf";
        if (seen[env].contains("count") && h.count != *n) return bad("+Inf bucket differs from _count");
        h.count = *n;
      } else {
        std::size_t i = 0;
        while (i < kDurationBuckets.size() && format_double(kDurationBuckets[i]) != le) ++i;
        if (i == kDurationBuckets.size()) return bad("unknown bucket le=\"" + le + "\"");
        h.cumulative[i] = *n;
      }
    } else if (suffix == "_sum") {
      if (!has_labels(*s, {"env"})) return bad("unexpected labels");
      const auto v = parse_double(s->value);
      if (!v || std::isinf(*v)) return bad("bad sum");
      h.sum = *v;
      part = "sum";
    } else if (suffix == "_count") {
      if (!has_labels(*s, {"env"})) return bad("unexpected labels");
      const auto n = parse_count(s->value);
      if (!n) return bad("bad count");
      if (seen[env].contains("inf") && h.count != *n) return bad("_count differs from the +Inf bucket");
      h.count = *n;
      part = "count";
    } else {
      return bad("unexpected metric " + s->name);
    }
    if (!seen[env].insert(part).second) return bad("duplicate series");
  }
  if (require_marker && line_no == 0) return input_error("empty (not a chartprov metrics file)");
  for (const auto& [env, h] : data.durations) {
    if (seen[env].size() != kDurationBuckets.size() + 3) {
      return input_error("the histogram for env=\"" + env + "\" is incomplete (not a chartprov metrics file)");
    }
    for (std::size_t i = 1; i < kDurationBuckets.size(); ++i) {
      if (h.cumulative[i] < h.cumulative[i - 1]) return input_error("histogram buckets are not cumulative");
    }
    if (h.cumulative.back() > h.count) return input_error("histogram buckets exceed its count");
  }
  return data;
}

void MetricsRegistry::add(const DecisionSample& sample, const std::vector<std::string>& expiring) {
  const std::lock_guard lock(mutex_);
  data_.add(sample, expiring);
}

std::string MetricsRegistry::render() const {
  MetricsData copy;
  {
    const std::lock_guard lock(mutex_);
    copy = data_;
  }
  return render_metrics(copy);
}

namespace {

// Reads the textfile (created if missing), lets `add` count a sample, and
// rewrites it atomically under the lock.
template <typename Add>
Status update_textfile(const std::filesystem::path& file, const Add& add) {
  const std::string where = "metrics textfile " + file.string();
  // The textfile is replaced by rename, so its own inode cannot carry the
  // lock (a writer waiting on a replaced inode would lose the sample before
  // it): FILE.lock, never replaced, does. node_exporter reads *.prom only.
  // Read-only is enough for flock, so users who share the directory can all lock it.
  const std::string lock_path = file.string() + ".lock";
  const UniqueFd lock(::open(lock_path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (lock.get() < 0) return input_error("cannot open the lock " + lock_path + ": " + std::strerror(errno));
  int rc = 0;
  while ((rc = ::flock(lock.get(), LOCK_EX)) != 0 && errno == EINTR) {
  }
  if (rc != 0) return input_error("cannot lock " + lock_path + ": " + std::strerror(errno));  // released on close

  MetricsData data;
  const UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (fd.get() < 0 && errno != ENOENT) return input_error("cannot open the " + where + ": " + std::strerror(errno));
  if (fd.get() >= 0) {
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return input_error("cannot stat the " + where);
    if (!S_ISREG(st.st_mode)) return input_error("the " + where + " is not a regular file");
    if (static_cast<std::uint64_t>(st.st_size) > kMaxTextfileBytes) {
      return input_error("the " + where + " is larger than " + std::to_string(kMaxTextfileBytes) +
                         " bytes; it is not ours, refusing to rewrite it");
    }
    auto text = read_fd(fd.get(), static_cast<std::uint64_t>(st.st_size));
    if (!text) return text.error().with_context("reading the " + where);
    if (!text->empty()) {
      auto parsed = parse_metrics(*text, true);
      if (!parsed) return parsed.error().with_context("the " + where + " is not ours; refusing to rewrite it");
      data = std::move(*parsed);
    }
  }
  add(data);
  return atomic_write(file, render(data, true), 0644);
}

}  // namespace

Status add_to_metrics_textfile(const std::filesystem::path& file, const DecisionSample& sample,
                               const std::vector<std::string>& expiring) {
  return update_textfile(file, [&](MetricsData& data) { data.add(sample, expiring); });
}

Status add_to_metrics_textfile(const std::filesystem::path& file, const MonitorSample& sample) {
  return update_textfile(file, [&](MetricsData& data) { data.monitor.add(sample); });
}

}  // namespace chartprov::app
