#include "cli/verify_decision.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "app/decision_report.hpp"
#include "cli/output.hpp"
#include "util/file.hpp"
#include "util/temp_dir.hpp"

namespace chartprov::cli {

Result<std::string> resolve_environment(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("CHARTPROV_ENV"); env != nullptr && *env != '\0') return std::string(env);
  return usage_error("no environment: give --env ENV or set CHARTPROV_ENV");
}

void print_decision(const app::DecideResult& r) {
  const auto& d = r.decision;
  const auto& ev = r.evidence;
  const std::string label = ev.name.empty() ? ev.chart : ev.name + " " + ev.version;
  const std::string where = d.environment.empty() ? "no environment" : d.environment;
  FILE* out = d.allowed ? stdout : stderr;
  if (d.allowed) {
    std::fprintf(out, "ALLOW %s for %s (mode %s)\n", label.c_str(), where.c_str(),
                 std::string(policy::mode_name(d.mode)).c_str());
  } else if (d.blocks()) {
    std::fprintf(out, "chartprov: DENY %s for %s (mode enforce)\n", label.c_str(), where.c_str());
  } else {
    std::fprintf(out, "chartprov: WARNING: %s would be denied in %s (mode %s: not blocking)\n", label.c_str(),
                 d.environment.c_str(), std::string(policy::mode_name(d.mode)).c_str());
  }
  if (!d.rule.empty()) std::fprintf(out, "  rule: %s\n", d.rule.c_str());
  for (const auto& s : d.signers) std::fprintf(out, "  signed by: %s\n", s.c_str());
  for (const auto& reason : d.reasons) std::fprintf(out, "  - %s\n", reason.c_str());
  for (const auto& e : ev.envelopes) {
    std::string key = e.key_id.empty() ? e.fingerprint : e.key_id.substr(0, 16);
    if (!e.owner.empty()) key += ", " + e.owner;
    if (e.good()) {
      std::fprintf(out, "  Verified %s: %s (key %s)\n", e.format.c_str(), e.source.c_str(), key.c_str());
    } else {
      std::fprintf(out, "  Not counted %s: %s (%s)\n", e.format.c_str(), e.source.c_str(), e.reason.c_str());
    }
  }
  if (!ev.digest.empty()) std::fprintf(out, "  digest: %s\n", ev.digest.c_str());
  std::fprintf(out, "  trust: %s\n", ev.trust_source.c_str());
}

int run_verify_decision(const DecisionVerifyOptions& o, app::Event& event) {
  const auto started = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  event.chart = o.chart;
  event.environment = o.environment;
  const auto fail = [&](const Error& e) {
    event = app::failed_decision_event(o.chart, o.environment, e, elapsed());
    return report_error(e, o.json);
  };
  auto environment = o.no_environment ? Result<std::string>(std::string()) : resolve_environment(o.environment);
  if (!environment) return fail(environment.error());
  event.environment = *environment;
  std::optional<std::filesystem::path> policy_file;
  if (!o.policy.empty()) policy_file = o.policy;
  auto policy =
      o.no_environment ? Result<policy::Policy>(policy::no_environment_policy()) : app::load_policy(policy_file);
  if (!policy) return fail(policy.error());

  app::DecideRequest req;
  req.chart = o.chart;
  req.version = o.registry.version;
  req.environment = *environment;
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
  event = app::decision_event(*result, elapsed());
  if (o.json) std::printf("%s\n", app::decision_json(*result).dump(2).c_str());
  if (!o.json || !result->decision.allowed) print_decision(*result);
  if (result->decision.blocks()) return kExitFailed;
  if (!o.output.empty() && result->saved_chart) {
    // Only a chart whose decision does not block is ever saved.
    auto bytes = read_file(*result->saved_chart, 100u << 20);
    if (!bytes) return fail(bytes.error());
    if (auto st = atomic_write(o.output, ByteView(*bytes), 0644); !st) return fail(st.error());
  }
  return kExitOk;
}

}  // namespace chartprov::cli
