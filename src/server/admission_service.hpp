#pragma once
// What `chartprov admission` answers (issue 15): POST /validate (one
// Kubernetes AdmissionReview, app::admit under the policy's namespace
// bindings, recorded through app::record_admission), GET /healthz (the
// process answers), GET /readyz (it can decide: policy, trust material and
// chart stores loaded, serving certificate valid) and GET /metrics. The
// policy, the trust material and the chart stores are built at start and on
// reload, never per request. Thread-safe.
//
// /validate answers, in order:
//  - not POST: 405; a Content-Type other than application/json: 415;
//  - a body app::admit cannot read (not an AdmissionReview, no uid, too
//    large): 400 with {"error": ...} (the API server then applies the
//    webhook's failurePolicy: Fail, a denial);
//  - the server has no usable state (a reload failed before any success):
//    every review is denied, code 500, "chartprov: not ready: ...";
//  - otherwise 200 and the AdmissionReview response app::admit gave, turned
//    into a denial when the decision could not be recorded.
// A review whose chart no store holds, with a repository or registry source
// configured, first asks for that chart to be fetched (from a repository:
// its index.yaml, then the chart and its envelopes; from a registry: the
// chart's tag) and decided into every store that lacks it (MissRefresher:
// one job at a time, each chart at most once per miss_refresh_interval) and
// waits for it until shortly before the API server's ?timeout= (default
// 10 s), then is judged again: a chart published since the last build is
// admitted, and a fetch that takes longer only denies this one request. A
// fetch that fails (the source unreachable, the chart not there or not
// verified) keeps the stores as they were. A reload builds the stores from
// the sources again (repositories mirrored whole) and drops the charts
// pulled from registries: the next review of each pulls it again.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/admission/manifest_renderer.hpp"
#include "app/admission/store_set.hpp"
#include "app/admission/store_source.hpp"
#include "app/events/events.hpp"
#include "app/events/metrics.hpp"
#include "app/verify/trust_material.hpp"
#include "server/http_server.hpp"
#include "server/miss_refresher.hpp"
#include "util/result.hpp"

namespace chartprov::server {

// The largest /validate body read (release::kMaxAdmissionReviewSize).
extern const std::size_t kMaxAdmissionBody;

struct AdmissionServiceConfig {
  app::TrustSource trust;
  std::optional<std::filesystem::path> policy_file;  // unset: the built-in default policy
  std::string default_environment;                   // --env: namespaces no binding names
  std::vector<app::StoreSource> chart_sources;       // directories, repository URLs (mirrored)
  app::EventSinks sinks;
  // Extra reasons /readyz fails (the TLS listener's certificate), "" when fine.
  std::function<std::string()> listener_problem;
  // The helm that renders verified charts for the manifest check (built once
  // at start: its cache outlives reloads).
  app::HelmRendererOptions renderer;
  // The shortest time between two fetches of one chart for a miss.
  std::chrono::seconds miss_refresh_interval{10};
  bool plain_http = false;  // registry sources over HTTP (a loopback registry)
  // Where a rebuild that failed outside a reload is said (stderr).
  std::function<void(std::string_view)> log;
};

// The state one reload builds; immutable once built.
struct AdmissionState {
  std::shared_ptr<const policy::Policy> policy;  // with --env bound
  std::shared_ptr<const app::TrustMaterial> material;
  app::StoreSet stores;  // a chart pulled from a registry source: a new state, with the stores copied
};

class AdmissionService {
 public:
  // Builds the renderer and the state once; an error stops the start.
  // Refusals: app::make_helm_renderer, app::load_policy,
  // app::bind_default_environment, app::load_trust_material,
  // app::materialize_sources, app::load_store_set.
  [[nodiscard]] static Result<std::unique_ptr<AdmissionService>> start(AdmissionServiceConfig config);
  explicit AdmissionService(AdmissionServiceConfig config);

  // SIGHUP: everything built again. On an error the previous state stays in
  // force and /readyz answers 503 until a reload succeeds.
  [[nodiscard]] Status reload();

  HttpResponse handle(const HttpRequest& request);

  // Charts stored and refused, per environment, for the start-up log.
  std::string summary() const;

 private:
  HttpResponse validate(const HttpRequest& request);
  HttpResponse readyz();
  std::shared_ptr<const AdmissionState> current_state(std::string& unusable) const;
  // A review whose chart NAME VERSION no store holds: fetch that chart from
  // the repository and registry sources, in order, into every store that
  // lacks it (MissRefresher: single flight, rate-limited per chart), waiting
  // until `deadline`. True when the stores may have changed since the call.
  bool refresh_for_miss(const std::string& name, const std::string& version,
                        std::chrono::steady_clock::time_point deadline);
  void pull_for_miss(const std::string& name, const std::string& version);

  AdmissionServiceConfig config_;
  mutable std::mutex mutex_;  // guards state_ and reload_error_
  std::shared_ptr<const AdmissionState> state_;
  std::string reload_error_;
  app::MetricsRegistry metrics_;
  std::unique_ptr<app::ManifestRenderer> renderer_;

  std::unique_ptr<MissRefresher> refresher_;  // last member: its job uses the others

 public:
  ~AdmissionService();
  AdmissionService(const AdmissionService&) = delete;
  AdmissionService& operator=(const AdmissionService&) = delete;
};

}  // namespace chartprov::server
