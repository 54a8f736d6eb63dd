#include "server/admission_service.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "app/admission/admission_record.hpp"
#include "app/admission/admit.hpp"
#include "app/verify/decide.hpp"
#include "release/admission_review.hpp"
#include "util/clock.hpp"

namespace chartprov::server {
namespace {

constexpr int kNotReadyCode = 500;

HttpResponse text_response(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

HttpResponse error_json(int status, const std::string& message) {
  HttpResponse r;
  r.status = status;
  r.body = nlohmann::json{{"error", message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

HttpResponse method_not_allowed(const char* allow) {
  auto r = error_json(405, std::string("method not allowed; use ") + allow);
  r.headers.emplace_back("Allow", allow);
  return r;
}

bool is_json_media_type(const std::string* content_type) {
  if (content_type == nullptr) return false;
  std::string v = content_type->substr(0, content_type->find(';'));
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return v == "application/json";
}

// A judged review the server cannot decide: denied whatever the mode.
void deny_undecidable(app::AdmissionOutcome& outcome, const std::string& why) {
  outcome.reason = why;
  outcome.response.allowed = false;
  outcome.response.code = kNotReadyCode;
  outcome.response.message = "chartprov: " + why;
  outcome.response.warnings.clear();
}

Result<std::shared_ptr<const AdmissionState>> build_state(const AdmissionServiceConfig& config) {
  auto state = std::make_shared<AdmissionState>();
  TRY(policy::Policy loaded, app::load_policy(config.policy_file));
  TRY(state->policy, app::bind_default_environment(std::move(loaded), config.default_environment));
  TRY(state->material, app::load_trust_material(config.trust, 0));
  TRY(state->stores, app::load_store_set(config.chart_sources, state->policy, state->material, 0));
  return std::shared_ptr<const AdmissionState>(std::move(state));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

const std::size_t kMaxAdmissionBody = release::kMaxAdmissionReviewSize;

AdmissionService::AdmissionService(AdmissionServiceConfig config) : config_(std::move(config)) {}

Result<std::unique_ptr<AdmissionService>> AdmissionService::start(AdmissionServiceConfig config) {
  if (config.chart_sources.empty()) return usage_error("give at least one --chart-source DIR");
  for (const auto& source : config.chart_sources) {
    if (!std::filesystem::is_directory(source)) {
      return usage_error("--chart-source " + source.string() + " is not a directory");
    }
  }
  auto service = std::make_unique<AdmissionService>(std::move(config));
  TRY_STATUS(service->reload());
  return service;
}

Status AdmissionService::reload() {
  auto state = build_state(config_);
  const std::lock_guard lock(mutex_);
  if (!state) {
    reload_error_ = state.error().message;
    return state.error();
  }
  state_ = std::move(*state);
  reload_error_.clear();
  return ok_status();
}

std::string AdmissionService::summary() const {
  std::shared_ptr<const AdmissionState> state;
  {
    const std::lock_guard lock(mutex_);
    state = state_;
  }
  if (!state) return "no state\n";
  std::string out;
  for (const auto& [environment, store] : state->stores.stores) {
    out += "environment " + environment + ": " + std::to_string(store.charts.size()) + " verified chart(s)";
    out += store.refused.empty() ? "\n" : ", " + std::to_string(store.refused.size()) + " refused:\n";
    for (const auto& refused : store.refused) out += "  " + refused.file + ": " + refused.reason + "\n";
  }
  if (state->stores.stores.empty()) out += "no environment to store charts for (no namespace binding, no --env)\n";
  return out;
}

HttpResponse AdmissionService::handle(const HttpRequest& request) {
  const std::string_view path = request.path();
  if (path == "/validate") {
    if (request.method != "POST") return method_not_allowed("POST");
    return validate(request);
  }
  if (path == "/healthz") {
    if (request.method != "GET") return method_not_allowed("GET");
    return text_response(200, "ok\n");
  }
  if (path == "/readyz") {
    if (request.method != "GET") return method_not_allowed("GET");
    return readyz();
  }
  if (path == "/metrics") {
    if (request.method != "GET") return method_not_allowed("GET");
    HttpResponse r = text_response(200, metrics_.render());
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return r;
  }
  return error_json(404, "no such endpoint; try POST /validate, GET /healthz, GET /readyz or GET /metrics");
}

HttpResponse AdmissionService::readyz() {
  std::shared_ptr<const AdmissionState> state;
  std::string problem;
  {
    const std::lock_guard lock(mutex_);
    state = state_;
    if (!reload_error_.empty()) problem = "reload failed: " + reload_error_;
  }
  if (problem.empty() && !state) problem = "no state";
  if (problem.empty()) {
    const auto current = state->material.check_current(unix_now());
    if (!current) problem = "trust material: " + current.error().message;
  }
  if (problem.empty() && config_.listener_problem) problem = config_.listener_problem();
  if (!problem.empty()) return text_response(503, "not ready: " + problem + "\n");
  return text_response(200, "ready\n");
}

HttpResponse AdmissionService::validate(const HttpRequest& request) {
  if (!is_json_media_type(request.header("content-type"))) {
    return error_json(415, "send Content-Type: application/json");
  }
  const auto started = std::chrono::steady_clock::now();
  std::shared_ptr<const AdmissionState> state;
  std::string unusable;
  {
    const std::lock_guard lock(mutex_);
    state = state_;
    if (!reload_error_.empty()) unusable = "not ready: reload failed: " + reload_error_;
  }
  if (!state) return error_json(503, "not ready");
  const ByteView body(reinterpret_cast<const std::uint8_t*>(request.body.data()), request.body.size());
  auto outcome = app::admit(body, state->stores.admission_config(state->policy));
  if (!outcome) return error_json(400, outcome.error().message);
  if (outcome->judged && unusable.empty()) {
    const auto current = state->material.check_current(unix_now());
    if (!current) unusable = "trust material: " + current.error().message;
  }
  if (outcome->judged && !unusable.empty()) deny_undecidable(*outcome, unusable);
  const double seconds = seconds_since(started);
  if (const auto record = app::record_admission(*outcome, state->policy, state->stores, seconds, config_.sinks)) {
    std::vector<std::string> expiring;
    for (const auto& x : record->expiring) expiring.emplace_back(policy::expiry_kind_name(x.kind));
    metrics_.add({record->decision.environment.empty() ? "(none)" : record->decision.environment,
                  record->event.decision, record->event.reason_code, seconds},
                 expiring);
  }
  HttpResponse r;
  r.body = release::build_admission_response(outcome->response);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace chartprov::server
