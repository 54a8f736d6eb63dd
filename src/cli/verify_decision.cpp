#include "cli/verify_decision.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "app/events/decision_report.hpp"
#include "chart/archive_reader.hpp"
#include "cli/event_options.hpp"
#include "cli/output.hpp"
#include "util/file.hpp"
#include "util/temp_dir.hpp"

namespace chartprov::cli {

Result<std::string> resolve_environment(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("CHARTPROV_ENV"); env != nullptr && *env != '\0') return std::string(env);
  return usage_error("no environment: give --env ENV or set CHARTPROV_ENV");
}

int refuse_decision(const DecisionVerifyOptions& o, const Error& e) {
  policy::Evidence known;
  known.chart = o.chart;
  const app::DecisionRecord record =
      app::record_decision(std::move(known), app::error_decision(o.environment, e), 0, o.sinks);
  report_record_failures(record);
  return report_error(e, o.json);
}

int run_verify_decision(const DecisionVerifyOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  std::string environment = o.environment;
  // No decision could be reached: a deny with the error as its reason, recorded like any other.
  const auto fail = [&](const Error& e) {
    policy::Evidence known;
    known.chart = o.chart;
    const app::DecisionRecord record =
        app::record_decision(std::move(known), app::error_decision(environment, e), elapsed(), o.sinks);
    report_record_failures(record);
    return report_error(e, o.json);
  };
  auto resolved = o.no_environment ? Result<std::string>(std::string()) : resolve_environment(o.environment);
  if (!resolved) return fail(resolved.error());
  environment = *resolved;
  std::optional<std::filesystem::path> policy_file;
  if (!o.policy.empty()) policy_file = o.policy;
  auto policy = o.no_environment ? Result<policy::Policy>(policy::no_environment_policy(policy::PlainTrust::trust_root))
                                 : app::load_policy(policy_file);
  if (!policy) return fail(policy.error());

  app::DecideRequest req;
  req.chart = o.chart;
  req.version = o.registry.version;
  req.environment = environment;
  req.trust = o.trust;
  std::optional<TempDir> keep;
  if (req.chart.rfind("oci://", 0) == 0) {
    auto ref = oci::parse_reference(req.chart, req.version);
    if (!ref) return fail(ref.error());
    auto conn = connection_for(*ref, o.registry);
    if (!conn) return fail(conn.error());
    req.connection = std::move(*conn);
    if (!o.output.empty()) {
      auto dir = TempDir::create("chartprov-pull");
      if (!dir) return fail(dir.error());
      keep.emplace(std::move(*dir));
      req.save_dir = keep->path();
    }
  } else if (!o.output.empty() || !o.registry.version.empty() || o.registry.plain_http) {
    return fail(usage_error("--version, --plain-http and --output are for oci:// references"));
  }
  auto result = app::decide(*policy, req);
  if (!result) return fail(result.error());
  const app::DecisionRecord record =
      app::record_decision(std::move(result->evidence), std::move(result->decision), elapsed(), o.sinks);
  report_record_failures(record);
  if (o.json) std::printf("%s\n", app::decision_json(record.evidence, record.decision).dump(2).c_str());
  if (!o.json || !record.decision.allowed) {
    std::fputs(app::decision_text(record.evidence, record.decision).c_str(), record.decision.allowed ? stdout : stderr);
  }
  if (record.exit_code() != kExitOk) return record.exit_code();
  if (!o.output.empty() && result->saved_chart) {
    // Only a chart whose decision does not block is ever saved.
    auto bytes = read_file(*result->saved_chart, chart::kMaxChartArchive);
    if (!bytes) return report_error(bytes.error(), o.json);
    if (auto st = atomic_write(o.output, ByteView(*bytes), 0644); !st) return report_error(st.error(), o.json);
  }
  return kExitOk;
}

}  // namespace chartprov::cli
