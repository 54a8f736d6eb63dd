// The log server's /metrics text: every family present from the start (a counter at zero is
// still a series to alert on), witness names escaped, and promtool's lint clean.
#include "app/log/log_metrics.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "infra/process/process.hpp"
#include "util/bytes.hpp"

namespace chartprov::app::log {
namespace {

TEST(LogMetrics, RendersEveryFamilyFromTheStart) {
  const std::string text = render_log_metrics(LogMetrics{});
  for (const char* line : {
           "chartprov_log_submissions_total{result=\"logged\"} 0\n",
           "chartprov_log_submissions_total{result=\"duplicate\"} 0\n",
           "chartprov_log_submissions_total{result=\"refused\"} 0\n",
           "chartprov_log_submissions_total{result=\"failed\"} 0\n",
           "chartprov_log_batches_total{result=\"committed\"} 0\n",
           "chartprov_log_batches_total{result=\"failed\"} 0\n",
           "# TYPE chartprov_log_witness_failures_total counter\n",
           "chartprov_log_tree_size 0\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << text;
  }
}

TEST(LogMetrics, CountsWhatItIsGivenAndEscapesWitnessNames) {
  LogMetrics m;
  m.logged = 7;
  m.refused = 2;
  m.batches_committed = 3;
  m.witness_failures["witness.example/w1"] = 4;
  m.witness_failures["odd\"name"] = 1;
  m.tree_size = 9;
  const std::string text = render_log_metrics(m);
  EXPECT_NE(text.find("chartprov_log_submissions_total{result=\"logged\"} 7\n"), std::string::npos) << text;
  EXPECT_NE(text.find("chartprov_log_submissions_total{result=\"refused\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("chartprov_log_batches_total{result=\"committed\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("chartprov_log_witness_failures_total{witness=\"witness.example/w1\"} 4\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("chartprov_log_witness_failures_total{witness=\"odd\\\"name\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("chartprov_log_tree_size 9\n"), std::string::npos) << text;
}

TEST(LogMetrics, PromtoolAcceptsThem) {
  const std::string promtool = "/usr/bin/promtool";
  if (!std::filesystem::exists(promtool)) GTEST_SKIP() << "promtool is not installed (Debian package prometheus)";
  LogMetrics m;
  m.logged = 1;
  m.witness_failures["w"] = 1;
  const auto r = process::run_process({promtool, "check", "metrics"}, as_bytes(render_log_metrics(m)));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 0) << r->out << r->err;
  EXPECT_EQ(r->err, "") << "promtool has lint findings";
}

}  // namespace
}  // namespace chartprov::app::log
