#include "server/admission_service.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "app/admission/admission_record.hpp"
#include "app/admission/admit.hpp"
#include "app/verify/decide.hpp"
#include "release/admission_review.hpp"
#include "server/responses.hpp"
#include "util/clock.hpp"
#include "util/temp_dir.hpp"

namespace chartprov::server {
namespace {

constexpr int kNotReadyCode = 500;

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
  TRY(policy::Policy bound, app::bind_default_environment(std::move(loaded), config.default_environment));
  state->policy = std::make_shared<const policy::Policy>(std::move(bound));
  TRY(app::TrustMaterial material, app::load_trust_material(config.trust, 0));
  state->material = std::make_shared<const app::TrustMaterial>(std::move(material));
  // The mirrored directories are read into the stores, then removed.
  TRY(const app::MaterializedSources sources, app::materialize_sources(config.chart_sources, config.trust, {}));
  TRY(state->stores, app::load_store_set(sources.directories, *state->policy, *state->material, 0));
  return std::shared_ptr<const AdmissionState>(std::move(state));
}

// Whether a miss can fetch: a repository or registry source.
bool has_fetching_source(const AdmissionServiceConfig& config) {
  return std::any_of(config.chart_sources.begin(), config.chart_sources.end(),
                     [](const app::StoreSource& s) { return s.remote() || s.oci(); });
}

// The refusals a store keeps of charts pulled on a miss: the latest ones.
constexpr std::size_t kMaxRefusalsKept = 256;

// The API server's ?timeout=Ns (1..30 s, as a webhook's timeoutSeconds), else 10 s.
std::chrono::seconds review_timeout(const HttpRequest& request) {
  constexpr std::chrono::seconds kDefault(10);
  const auto q = request.target.find("?timeout=");
  if (q == std::string::npos) return kDefault;
  std::string_view v = std::string_view(request.target).substr(q + 9);
  v = v.substr(0, v.find('&'));
  if (v.size() < 2 || v.size() > 3 || v.back() != 's') return kDefault;
  int seconds = 0;
  for (const char c : v.substr(0, v.size() - 1)) {
    if (c < '0' || c > '9') return kDefault;
    seconds = seconds * 10 + (c - '0');
  }
  return seconds >= 1 && seconds <= 30 ? std::chrono::seconds(seconds) : kDefault;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

const std::size_t kMaxAdmissionBody = release::kMaxAdmissionReviewSize;

AdmissionService::AdmissionService(AdmissionServiceConfig config)
    : config_(std::move(config)), refresher_(std::make_unique<MissRefresher>(config_.miss_refresh_interval)) {}

AdmissionService::~AdmissionService() { refresher_.reset(); }  // its job uses the other members

Result<std::unique_ptr<AdmissionService>> AdmissionService::start(AdmissionServiceConfig config) {
  if (config.chart_sources.empty()) return usage_error("give at least one --chart-source DIR|URL|oci://HOST/PATH");
  auto service = std::make_unique<AdmissionService>(std::move(config));
  auto renderer = app::make_helm_renderer(service->config_.renderer);
  if (!renderer) return renderer.error().with_context("the manifest check's helm (--helm)");
  service->renderer_ = std::move(*renderer);
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

std::shared_ptr<const AdmissionState> AdmissionService::current_state(std::string& unusable) const {
  const std::lock_guard lock(mutex_);
  unusable = reload_error_.empty() ? "" : "not ready: reload failed: " + reload_error_;
  return state_;
}

bool AdmissionService::refresh_for_miss(const std::string& name, const std::string& version,
                                        std::chrono::steady_clock::time_point deadline) {
  return refresher_->run(
      name + " " + version, [this, name, version] { pull_for_miss(name, version); }, deadline);
}

void AdmissionService::pull_for_miss(const std::string& name, const std::string& version) {
  std::shared_ptr<const AdmissionState> base;
  {
    const std::lock_guard lock(mutex_);
    base = state_;
  }
  if (!base) return;
  auto next = std::make_shared<AdmissionState>(*base);  // the stores copied; policy and material shared
  const auto say = [&](const std::string& line) {
    if (config_.log) config_.log(line);
  };
  std::set<std::string> found;  // environments whose store took the chart
  for (const auto& source : config_.chart_sources) {
    if (found.size() == next->stores.stores.size()) break;
    if (source.remote()) {
      auto dir = TempDir::create("chartprov-miss");
      if (!dir) return say("a chart for a review: " + dir.error().message);
      const auto fetched = app::fetch_repository_chart(source, name, version, dir->path());
      if (!fetched) {
        say("fetching " + name + " " + version + " from " + source.url + ": " + fetched.error().message);
        continue;
      }
      if (!*fetched) continue;  // not in this repository
      for (auto& [environment, store] : next->stores.stores) {
        if (found.count(environment) != 0) continue;
        const auto added = app::add_chart_file(store, **fetched, source.url + " " + name + "-" + version, *next->policy,
                                               *next->material, 0);
        if (!added) say("verifying " + name + " " + version + " from " + source.url + ": " + added.error().message);
        if (added && *added) found.insert(environment);
      }
    } else if (source.oci()) {
      const auto reference = app::oci_chart_reference(source, name);
      const auto tag = app::oci_chart_tag(version);
      if (!reference || !tag) return say(!reference ? reference.error().message : tag.error().message);
      for (auto& [environment, store] : next->stores.stores) {
        if (found.count(environment) != 0) continue;
        const auto added = app::add_oci_chart(store, {*reference, *tag, source.registry, config_.plain_http},
                                              *next->policy, *next->material, 0);
        if (!added) say("pulling " + *reference + ":" + *tag + ": " + added.error().message);
        if (added && *added) found.insert(environment);
      }
    }
  }
  for (auto& [environment, store] : next->stores.stores) {
    if (store.refused.size() > kMaxRefusalsKept) {
      store.refused.erase(store.refused.begin(), store.refused.end() - static_cast<std::ptrdiff_t>(kMaxRefusalsKept));
    }
  }
  const std::lock_guard swap(mutex_);
  if (state_ != base) return;  // rebuilt meanwhile: the next review fetches again
  state_ = std::move(next);
  if (!found.empty()) say("fetched and verified " + name + " " + version + " for a review");
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
    const auto current = state->material->check_current(unix_now());
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
  std::string unusable;
  auto state = current_state(unusable);
  if (!state) return error_json(503, "not ready");
  const ByteView body(reinterpret_cast<const std::uint8_t*>(request.body.data()), request.body.size());
  auto outcome = app::admit(body, state->stores.admission_config(*state->policy, renderer_.get()));
  if (!outcome) return error_json(400, outcome.error().message);
  if (outcome->judgement.verdict == release::RecordVerdict::kChartNotVerified && has_fetching_source(config_) &&
      unusable.empty()) {
    // A chart published since the stores were built: fetch it, then judge again.
    const auto margin = std::chrono::seconds(1);
    if (refresh_for_miss(outcome->judgement.chart_name, outcome->judgement.chart_version,
                         started + review_timeout(request) - margin)) {
      state = current_state(unusable);
      outcome = app::admit(body, state->stores.admission_config(*state->policy, renderer_.get()));
      if (!outcome) return error_json(400, outcome.error().message);
    }
  }
  if (outcome->judged && unusable.empty()) {
    const auto current = state->material->check_current(unix_now());
    if (!current) unusable = "trust material: " + current.error().message;
  }
  if (outcome->judged && !unusable.empty()) deny_undecidable(*outcome, unusable);
  const double seconds = seconds_since(started);
  if (const auto record = app::record_admission(*outcome, state->stores, seconds, config_.sinks)) {
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
