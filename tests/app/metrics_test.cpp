// Prometheus metrics: the exposition text (known answer, label escaping,
// promtool when installed), reading back only what we wrote, and the
// node_exporter textfile: counts across writers, refuses files not ours.
#include "app/events/metrics.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "infra/process/process.hpp"
#include "support/test_support.hpp"

namespace chartprov::app {
namespace {

const char* const kOneAllow =
    "# HELP chartprov_verifications_total Chart verification decisions by environment, decision (allow, deny, warn) "
    "and reason code.\n"
    "# TYPE chartprov_verifications_total counter\n"
    "chartprov_verifications_total{env=\"production\",decision=\"allow\",reason=\"\"} 1\n"
    "# HELP chartprov_verify_duration_seconds Time to gather the evidence for a chart and decide, by environment.\n"
    "# TYPE chartprov_verify_duration_seconds histogram\n"
    "chartprov_verify_duration_seconds_bucket{env=\"production\",le=\"0.001\"} 0\n"
    "chartprov_verify_duration_seconds_bucket{env=\"production\",le=\"0.0025\"} 0\n"
    "chartprov_verify_duration_seconds_bucket{env=\"production\",le=\"0.005\"} 1\n"
    "chartprov_verify_duration_seconds_bucket{env=\"production\",le=\"0.01\"} 1\n"
    "chartprov_verify_duration_seconds_bucket{env=\"production\",le=\"0.025\"} 1\n"
    "chartprov_verify_duration_seconds_bucket{env=\"production\",le=\"0.05\"} 1\n"
    "chartprov_verify_duration_seconds_bucket{env=\"production\",le=\"0.1\"} 1\n"
    "chartprov_verify_duration_seconds_bucket{env=\"production\",le=\"0.25\"} 1\n"
    "chartprov_verify_duration_seconds_bucket{env=\"production\",le=\"0.5\"} 1\n"
    "chartprov_verify_duration_seconds_bucket{env=\"production\",le=\"1\"} 1\n"
    "chartprov_verify_duration_seconds_bucket{env=\"production\",le=\"2.5\"} 1\n"
    "chartprov_verify_duration_seconds_bucket{env=\"production\",le=\"5\"} 1\n"
    "chartprov_verify_duration_seconds_bucket{env=\"production\",le=\"10\"} 1\n"
    "chartprov_verify_duration_seconds_bucket{env=\"production\",le=\"+Inf\"} 1\n"
    "chartprov_verify_duration_seconds_sum{env=\"production\"} 0.003\n"
    "chartprov_verify_duration_seconds_count{env=\"production\"} 1\n"
    "# HELP chartprov_expiry_warnings_total Decisions whose trust material (kind: trust-root, signing-key) expires "
    "within the warning window, by environment and kind.\n"
    "# TYPE chartprov_expiry_warnings_total counter\n";

TEST(Metrics, RendersTheExpositionFormat) {
  MetricsRegistry r;
  r.add({"production", "allow", "", 0.003});
  EXPECT_EQ(r.render(), kOneAllow);
}

TEST(Metrics, BucketsAreCumulativeAndSlowSamplesOnlyCountInInf) {
  MetricsData d;
  d.add({"staging", "deny", "bad-signature", 0.0005});
  d.add({"staging", "deny", "bad-signature", 0.02});
  d.add({"staging", "warn", "threshold", 60});
  const auto& h = d.durations.at("staging");
  EXPECT_EQ(h.cumulative.front(), 1u);  // <= 1 ms
  EXPECT_EQ(h.cumulative[4], 2u);       // <= 25 ms
  EXPECT_EQ(h.cumulative.back(), 2u);   // <= 10 s
  EXPECT_EQ(h.count, 3u);               // +Inf
  EXPECT_EQ((d.verifications.at({"staging", "deny", "bad-signature"})), 2u);
}

TEST(Metrics, EscapesLabelValuesAndReadsThemBack) {
  EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  MetricsData d;
  d.add({"we\"ird\\env\nname", "deny", "error", 1.5});
  const std::string text = render_metrics(d);
  EXPECT_NE(text.find("env=\"we\\\"ird\\\\env\\nname\""), std::string::npos) << text;
  const auto back = parse_metrics(text, false);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->verifications, d.verifications);
  EXPECT_EQ(render_metrics(*back), text);
}

TEST(Metrics, SeriesAreBoundedWhateverClientsSend) {
  MetricsData d;
  for (int i = 0; i < 2000; ++i) d.add({"env-" + std::to_string(i), "deny", "unmatched", 0.01});
  EXPECT_LE(d.verifications.size(), kMaxSeries + 1);
  EXPECT_LE(d.durations.size(), kMaxSeries + 1);
  EXPECT_EQ((d.verifications.at({"_other", "_other", "_other"})), 2000u - kMaxSeries);
  EXPECT_EQ(d.durations.at("_other").count, 2000u - kMaxSeries);
}

TEST(Metrics, ParseRefusesWhatWeDidNotWrite) {
  MetricsData d;
  d.add({"production", "allow", "", 0.2});
  const std::string good = std::string(kTextfileMarker) + "\n" + render_metrics(d);
  ASSERT_TRUE(parse_metrics(good, true).ok());
  EXPECT_FALSE(parse_metrics(render_metrics(d), true).ok()) << "no marker";
  EXPECT_FALSE(parse_metrics(good + "node_cpu_seconds_total{cpu=\"0\"} 1\n", true).ok());
  EXPECT_FALSE(parse_metrics(good + "chartprov_verifications_total{env=\"x\"} 1\n", true).ok()) << "labels";
  EXPECT_FALSE(parse_metrics(good + "# a comment\n", true).ok());
  EXPECT_FALSE(parse_metrics(good.substr(0, good.size() - 1), true).ok()) << "cut last line";
  // A duplicate series, an unknown bucket, a histogram missing a part.
  const std::string allow_line = "chartprov_verifications_total{env=\"production\",decision=\"allow\",reason=\"\"} 1\n";
  EXPECT_FALSE(parse_metrics(good + allow_line, true).ok());
  std::string unknown_le = good;
  unknown_le.replace(unknown_le.find("le=\"0.5\""), 7, "le=\"0.6\"");
  EXPECT_FALSE(parse_metrics(unknown_le, true).ok());
  std::string no_sum = good;
  const auto sum = no_sum.find("chartprov_verify_duration_seconds_sum");
  no_sum.erase(sum, no_sum.find('\n', sum) + 1 - sum);
  EXPECT_FALSE(parse_metrics(no_sum, true).ok());
  std::string inf_mismatch = good;
  inf_mismatch.replace(inf_mismatch.find("le=\"+Inf\"} 1"), 12, "le=\"+Inf\"} 7");
  EXPECT_FALSE(parse_metrics(inf_mismatch, true).ok());
  std::string not_cumulative = good;
  not_cumulative.replace(not_cumulative.find("le=\"0.001\"} 0"), 13, "le=\"0.001\"} 1");
  EXPECT_FALSE(parse_metrics(not_cumulative, true).ok());
}

TEST(MetricsTextfile, AddsSamplesAcrossRuns) {
  test::TempDir dir;
  const auto file = dir / "chartprov.prom";
  ASSERT_TRUE(add_to_metrics_textfile(file, {"production", "allow", "", 0.003}).ok());
  ASSERT_TRUE(add_to_metrics_textfile(file, {"production", "deny", "bad-signature", 0.02}).ok());
  ASSERT_TRUE(add_to_metrics_textfile(file, {"production", "allow", "", 0.004}).ok());
  const auto back = parse_metrics(test::read_text(file), true);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ((back->verifications.at({"production", "allow", ""})), 2u);
  EXPECT_EQ((back->verifications.at({"production", "deny", "bad-signature"})), 1u);
  EXPECT_EQ(back->durations.at("production").count, 3u);
  EXPECT_EQ((std::filesystem::status(file).permissions() & std::filesystem::perms::others_read),
            std::filesystem::perms::others_read)
      << "node_exporter must be able to read it";
}

TEST(MetricsTextfile, ConcurrentWritersLoseNoSample) {
  test::TempDir dir;
  const auto file = dir / "chartprov.prom";
  constexpr int kThreads = 6, kEach = 20;
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  std::mutex mutex;
  std::string first_error;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const auto st = add_to_metrics_textfile(file, {"env-" + std::to_string(t % 2), "allow", "", 0.001});
        if (!st.ok()) {
          const std::lock_guard lock(mutex);
          if (failures++ == 0) first_error = st.error().message;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0) << first_error;
  const auto back = parse_metrics(test::read_text(file), true);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->durations.at("env-0").count + back->durations.at("env-1").count,
            static_cast<std::uint64_t>(kThreads * kEach));
}

TEST(MetricsTextfile, RefusesAFileThatIsNotOurs) {
  test::TempDir dir;
  const auto foreign = dir / "node.prom";
  const std::string text = "# HELP node_x x\n# TYPE node_x gauge\nnode_x 1\n";
  test::write_text(foreign, text);
  const auto s = add_to_metrics_textfile(foreign, {"production", "allow", "", 0.003});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("not ours"), std::string::npos) << s.error().message;
  EXPECT_EQ(test::read_text(foreign), text) << "left untouched";

  const auto big = dir / "big.prom";
  test::write_text(big, std::string(kTextfileMarker) + "\n" + std::string(kMaxTextfileBytes, '#'));
  EXPECT_FALSE(add_to_metrics_textfile(big, {"production", "allow", "", 0.003}).ok());

  // A symlink is not followed (the file could be anywhere).
  const auto target = dir / "target.prom";
  ASSERT_TRUE(add_to_metrics_textfile(target, {"production", "allow", "", 0.003}).ok());
  std::filesystem::create_symlink(target, dir / "link.prom");
  EXPECT_FALSE(add_to_metrics_textfile(dir / "link.prom", {"production", "allow", "", 0.003}).ok());
}

TEST(Metrics, PromtoolAcceptsTheOutput) {
  const std::string promtool = "/usr/bin/promtool";
  if (!std::filesystem::exists(promtool)) GTEST_SKIP() << "promtool is not installed (Debian package prometheus)";
  MetricsData d;
  d.add({"production", "allow", "", 0.003});
  d.add({"production", "deny", "bad-signature", 0.2});
  d.add({"we\"ird\\env\nname", "warn", "threshold", 20});
  for (const bool marker : {false, true}) {
    const std::string text = (marker ? std::string(kTextfileMarker) + "\n" : "") + render_metrics(d);
    const auto r = process::run_process({promtool, "check", "metrics"}, as_bytes(text));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->exit_code, 0) << r->out << r->err;
    EXPECT_EQ(r->err, "") << "promtool has lint findings";
  }
}

// Issue 14: expiry warnings are a counter of their own, read back like the others.
TEST(Metrics, CountsExpiryWarningsByEnvironmentAndKind) {
  MetricsData d;
  d.add({"production", "allow", "", 0.003}, {"trust-root", "signing-key"});
  d.add({"production", "allow", "", 0.003}, {"signing-key"});
  const std::string text = render_metrics(d);
  EXPECT_NE(text.find("chartprov_expiry_warnings_total{env=\"production\",kind=\"signing-key\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("chartprov_expiry_warnings_total{env=\"production\",kind=\"trust-root\"} 1\n"),
            std::string::npos);
  const auto back = parse_metrics(text, false);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(render_metrics(*back), text);
  EXPECT_FALSE(parse_metrics(text + "chartprov_expiry_warnings_total{env=\"x\"} 1\n", false).ok());
}

// Issue 17: the log monitor's rounds share the textfile with the decisions.
MonitorSample round(const std::string& result, std::vector<std::string> alerts, std::uint64_t entries,
                    std::optional<std::uint64_t> size) {
  MonitorSample s;
  s.log = "https://log.example";
  s.result = result;
  s.alerts = std::move(alerts);
  s.entries = entries;
  s.tree_size = size;
  s.time = 1796600000;
  return s;
}

TEST(MonitorMetrics, CountRoundsAlertsAndEntriesAndKeepTheLastProvenTree) {
  MetricsData d;
  d.monitor.add(round("ok", {}, 10, 10));
  d.monitor.add(round("alert", {"log_unlisted_signer", "log_unlisted_signer", "log_key_outside_charts"}, 5, 15));
  d.monitor.add(round("alert", {"log_unreachable"}, 0, std::nullopt));
  d.monitor.add(round("error", {}, 0, std::nullopt));
  const std::string text = render_metrics(d);
  for (const char* line : {
           "chartprov_log_monitor_rounds_total{log=\"https://log.example\",result=\"ok\"} 1\n",
           "chartprov_log_monitor_rounds_total{log=\"https://log.example\",result=\"alert\"} 2\n",
           "chartprov_log_monitor_rounds_total{log=\"https://log.example\",result=\"error\"} 1\n",
           "chartprov_log_monitor_alerts_total{log=\"https://log.example\",reason=\"log_unlisted_signer\"} 2\n",
           "chartprov_log_monitor_alerts_total{log=\"https://log.example\",reason=\"log_unreachable\"} 1\n",
           "chartprov_log_monitor_entries_total{log=\"https://log.example\"} 15\n",
           "chartprov_log_monitor_tree_size{log=\"https://log.example\"} 15\n",
           "chartprov_log_monitor_last_proven_timestamp_seconds{log=\"https://log.example\"} 1796600000\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << text;
  }
  const auto back = parse_metrics(text, false);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(render_metrics(*back), text);
}

TEST(MonitorMetrics, AreAbsentUntilAMonitorCountsAndRefusedWhenNotOurs) {
  MetricsData d;
  d.add({"production", "allow", "", 0.003});
  EXPECT_EQ(render_metrics(d).find("chartprov_log_monitor"), std::string::npos);
  d.monitor.add(round("ok", {}, 1, 1));
  const std::string text = render_metrics(d);
  EXPECT_TRUE(parse_metrics(text, false).ok());
  for (const char* bad : {
           "chartprov_log_monitor_tree_size{env=\"x\"} 1\n",                    // another label
           "chartprov_log_monitor_tree_size{log=\"https://log.example\"} 2\n",  // a second series
           "chartprov_log_monitor_rounds_total{log=\"x\",result=\"ok\"} -1\n",  // not a count
           "chartprov_log_monitor_rounds_total{log=\"x\"} 1\n",                 // a label short
           "chartprov_log_monitor_backlog{log=\"x\"} 1\n",                      // not a family of ours
           "chartprov_log_monitor_entries_total 1\n",                           // no labels
       }) {
    EXPECT_FALSE(parse_metrics(text + bad, false).ok()) << bad;
  }
}

TEST(MonitorMetrics, SeriesAreBounded) {
  MonitorMetrics m;
  for (std::size_t i = 0; i < kMaxSeries + 10; ++i) {
    MonitorSample s = round("alert", {"r" + std::to_string(i)}, 1, i);
    s.log = "https://log" + std::to_string(i) + ".example";
    m.add(s);
  }
  EXPECT_EQ(m.rounds.size(), kMaxSeries + 1);
  EXPECT_EQ(m.alerts.size(), kMaxSeries + 1);
  EXPECT_EQ(m.tree_size.size(), kMaxSeries + 1);
  EXPECT_EQ(m.rounds.at({std::string(kOverflowLabel), std::string(kOverflowLabel)}), 10u);
  EXPECT_EQ(m.entries.at(std::string(kOverflowLabel)), 10u);
}

TEST(MonitorMetrics, SharesTheTextfileWithDecisions) {
  test::TempDir dir;
  const auto file = dir / "chartprov.prom";
  ASSERT_TRUE(add_to_metrics_textfile(file, DecisionSample{"production", "allow", "", 0.003}).ok());
  ASSERT_TRUE(add_to_metrics_textfile(file, round("ok", {}, 3, 3)).ok());
  ASSERT_TRUE(add_to_metrics_textfile(file, round("alert", {"log_split_view"}, 0, std::nullopt)).ok());
  ASSERT_TRUE(add_to_metrics_textfile(file, DecisionSample{"production", "deny", "bad-signature", 0.01}).ok());
  const auto back = parse_metrics(test::read_text(file), true);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->verifications.size(), 2u);
  EXPECT_EQ(back->monitor.rounds.size(), 2u);
  EXPECT_EQ(back->monitor.tree_size.at("https://log.example"), 3u);
}

TEST(MonitorMetrics, PromtoolAcceptsThem) {
  const std::string promtool = "/usr/bin/promtool";
  if (!std::filesystem::exists(promtool)) GTEST_SKIP() << "promtool is not installed (Debian package prometheus)";
  MetricsData d;
  d.add({"production", "allow", "", 0.003});
  d.monitor.add(round("alert", {"log_unlisted_signer"}, 4, 4));
  const auto r = process::run_process({promtool, "check", "metrics"}, as_bytes(render_metrics(d)));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 0) << r->out << r->err;
  EXPECT_EQ(r->err, "") << "promtool has lint findings";
}

}  // namespace
}  // namespace chartprov::app
