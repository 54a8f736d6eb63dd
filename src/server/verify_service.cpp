#include "server/verify_service.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <system_error>

#include "app/events/decision_report.hpp"
#include "app/verify/trust_material.hpp"
#include "infra/json/untrusted_json.hpp"
#include "oci/reference.hpp"
#include "policy/policy.hpp"
#include "server/responses.hpp"
#include "util/file.hpp"

namespace chartprov::server {

namespace {

constexpr std::size_t kMaxChartName = 1024;
constexpr std::size_t kMaxVersion = 128;
constexpr auto kHealthCacheFor = std::chrono::seconds(5);

// The evidence names files by their path on this machine: shown relative to
// the chart root, which is what the client named.
void relativize_sources(nlohmann::json& answer, const std::optional<std::filesystem::path>& root) {
  if (!root) return;
  std::error_code ec;
  const auto base = std::filesystem::canonical(*root, ec);
  if (ec) return;
  const std::string prefix = base.string() + "/";
  for (const char* list : {"envelopes", "attestations"}) {
    if (!answer.contains(list)) continue;
    for (auto& e : answer[list]) {
      if (!e.contains("source") || !e["source"].is_string()) continue;
      const std::string s = e["source"].get<std::string>();
      if (s.starts_with(prefix)) e["source"] = s.substr(prefix.size());
    }
  }
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

bool valid_environment_name(std::string_view name) { return policy::check_environment_name(name).ok(); }

Result<std::filesystem::path> resolve_chart_file(const std::filesystem::path& root, std::string_view name) {
  if (name.empty()) return input_error("\"chart\" is empty");
  if (name.size() > kMaxChartName) return input_error("\"chart\" is too long");
  if (name.find('\0') != std::string_view::npos) return input_error("\"chart\" holds a NUL byte");
  const std::filesystem::path rel{std::string(name)};
  if (rel.is_absolute() || rel.has_root_name() || rel.has_root_directory()) {
    return input_error("\"chart\" must be a file name relative to the chart root, not an absolute path");
  }
  for (const auto& part : rel) {
    if (part == "..") return input_error("\"chart\" may not contain '..'");
  }
  std::error_code ec;
  const auto base = std::filesystem::canonical(root, ec);
  if (ec) return input_error("the chart root " + root.string() + " is not readable: " + ec.message());
  const auto full = std::filesystem::canonical(base / rel, ec);
  if (ec) return input_error("no chart " + std::string(name) + " below the chart root");
  const auto inside = full.lexically_relative(base);
  if (inside.empty() || *inside.begin() == ".." || inside == ".") {
    return input_error("\"chart\" " + std::string(name) + " leads out of the chart root (a symlink)");
  }
  if (!std::filesystem::is_regular_file(full, ec))
    return input_error("\"chart\" " + std::string(name) + " is not a file");
  return full;
}

VerifyService::VerifyService(ServiceConfig config) : config_(std::move(config)) {}

Result<std::unique_ptr<VerifyService>> VerifyService::start(ServiceConfig config) {
  if (!config.default_environment.empty() && !valid_environment_name(config.default_environment)) {
    return usage_error("--env " + config.default_environment + ": expected [A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  }
  if (config.chart_root && !std::filesystem::is_directory(*config.chart_root)) {
    return usage_error("--chart-root " + config.chart_root->string() + " is not a directory");
  }
  auto service = std::make_unique<VerifyService>(std::move(config));
  TRY_STATUS(service->reload());
  return service;
}

std::string VerifyService::refresh_material() {
  {
    const std::lock_guard lock(mutex_);
    if (std::chrono::steady_clock::now() - health_checked_ <= kHealthCacheFor) return health_error_;
    health_checked_ = std::chrono::steady_clock::now();  // one refresh at a time
  }
  auto material = app::load_trust_material(config_.trust, 0);
  const std::lock_guard lock(mutex_);
  if (material) {
    material_ = std::make_shared<const app::TrustMaterial>(std::move(*material));
    health_error_.clear();
  } else {
    health_error_ = "trust material: " + material.error().message;
  }
  return health_error_;
}

Status VerifyService::reload() {
  auto fail = [&](const Error& e) -> Status {
    const std::lock_guard lock(mutex_);
    reload_error_ = e.message;
    return e;
  };
  auto policy = app::load_policy(config_.policy_file);
  if (!policy) return fail(policy.error().with_context("policy"));
  auto material = app::load_trust_material(config_.trust, 0);
  if (!material) return fail(material.error().with_context("trust material"));
  const std::lock_guard lock(mutex_);
  policy_ = std::make_shared<const policy::Policy>(std::move(*policy));
  material_ = std::make_shared<const app::TrustMaterial>(std::move(*material));
  reload_error_.clear();
  health_checked_ = std::chrono::steady_clock::now();
  health_error_.clear();
  return ok_status();
}

HttpResponse VerifyService::handle(const HttpRequest& request) {
  const std::string_view path = request.path();
  if (path == "/healthz") {
    if (request.method != "GET") return method_not_allowed("GET");
    return healthz();
  }
  if (path == "/metrics") {
    if (request.method != "GET") return method_not_allowed("GET");
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics_.render();
    return r;
  }
  if (path == "/v1/verify") {
    if (request.method != "POST") return method_not_allowed("POST");
    return verify(request);
  }
  return error_json(404, "no such endpoint; try POST /v1/verify, GET /healthz or GET /metrics");
}

HttpResponse VerifyService::healthz() {
  std::string problem;
  {
    const std::lock_guard lock(mutex_);
    if (!reload_error_.empty()) problem = "reload failed: " + reload_error_;
  }
  // The trust material can expire or vanish while we run: looked at again, but not on every probe.
  if (problem.empty()) problem = refresh_material();
  return problem.empty() ? text_response(200, "ok\n") : text_response(503, "unhealthy: " + problem + "\n");
}

HttpResponse VerifyService::verify(const HttpRequest& request) {
  if (!is_json_media_type(request.header("content-type"))) {
    return error_json(415, "send Content-Type: application/json");
  }
  const auto body = parse_untrusted_json(request.body);
  if (body.is_discarded() || !body.is_object()) return error_json(400, "the body must be a JSON object");
  for (const auto& [key, value] : body.items()) {
    if (key != "chart" && key != "version" && key != "environment") {
      return error_json(400, "unknown field \"" + key + "\" (chart, version, environment)");
    }
    if (!value.is_string()) return error_json(400, "\"" + key + "\" must be a string");
  }
  if (!body.contains("chart")) return error_json(400, "\"chart\" is required");
  const std::string chart = body["chart"].get<std::string>();
  const std::string version = body.value("version", std::string());
  const std::string environment = body.value("environment", config_.default_environment);
  if (chart.size() > kMaxChartName) return error_json(400, "\"chart\" is too long");
  if (version.size() > kMaxVersion) return error_json(400, "\"version\" is too long");
  if (environment.empty()) return error_json(400, "\"environment\" is required (the server has no --env default)");
  if (!valid_environment_name(environment)) {
    return error_json(400, "\"environment\" must match [A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  }

  app::DecideRequest req;
  req.environment = environment;
  if (oci::is_oci_reference(chart)) {
    const auto ref = oci::parse_reference(chart, version);
    if (!ref) return error_json(400, "\"chart\": " + ref.error().message);
    if (std::find(config_.registries.begin(), config_.registries.end(), ref->registry) == config_.registries.end()) {
      return error_json(400, "registry " + ref->registry + " is not one this server may contact (--allow-registry)");
    }
    req.chart = chart;
    req.version = version;
    req.connection.registry = ref->registry;
    req.connection.plain_http = config_.plain_http;
  } else {
    if (!config_.chart_root) return error_json(400, "this server verifies oci:// references only (no --chart-root)");
    if (!version.empty()) return error_json(400, "\"version\" is for oci:// references");
    const auto file = resolve_chart_file(*config_.chart_root, chart);
    if (!file) return error_json(400, file.error().message);
    req.chart = file->string();
  }

  const std::string unusable = refresh_material();  // at most every few seconds, not per request
  std::shared_ptr<const policy::Policy> policy;
  std::shared_ptr<const app::TrustMaterial> material;
  {
    const std::lock_guard lock(mutex_);
    policy = policy_;
    material = material_;
  }
  const auto started = std::chrono::steady_clock::now();
  Result<app::DecideResult> decided =
      unusable.empty() ? app::decide(*policy, req, *material) : Result<app::DecideResult>(input_error(unusable));
  const double seconds = seconds_since(started);

  // What the client named, not this machine's path.
  policy::Evidence evidence;
  policy::Decision decision;
  if (decided) {
    evidence = std::move(decided->evidence);
    decision = std::move(decided->decision);
  } else {
    decision = app::error_decision(environment, decided.error());  // no decision could be reached: a deny
  }
  evidence.chart = chart;
  const app::DecisionRecord record =
      app::record_decision(std::move(evidence), std::move(decision), seconds, config_.sinks);
  nlohmann::json answer = app::decision_json(record);
  if (!decided) answer["error"] = decided.error().message;
  relativize_sources(answer, config_.chart_root);
  answer["verdict"] = answer["decision"];
  answer["duration_seconds"] = seconds;
  std::vector<std::string> expiring;
  for (const auto& x : record.expiring) expiring.emplace_back(policy::expiry_kind_name(x.kind));
  metrics_.add({environment, record.event.decision, record.event.reason_code, seconds}, expiring);
  return json_response(200, answer);
}

}  // namespace chartprov::server
