#pragma once
// What `chartprov serve` answers: GET /healthz, GET /metrics and
// POST /v1/verify (one decision through app::decide per request, recorded in
// the metrics registry and sent to the event sinks). The policy is parsed at
// start and on reload; the trust material is loaded at start, on reload, and
// again at most every few seconds (refresh_material), never per request: a
// warm request reads nothing but its chart. Thread-safe.
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/events/events.hpp"
#include "app/events/metrics.hpp"
#include "app/verify/decide.hpp"
#include "server/http_server.hpp"
#include "util/result.hpp"

namespace chartprov::server {

struct ServiceConfig {
  app::TrustSource trust;
  std::optional<std::filesystem::path> policy_file;  // unset: the built-in default policy
  std::string default_environment;                   // when a request names none
  std::optional<std::filesystem::path> chart_root;   // file charts only below it; unset: oci:// only
  std::vector<std::string> registries;               // oci:// hosts a request may name; empty: none
  bool plain_http = false;                           // oci://: HTTP, not HTTPS
  app::EventSinks sinks;
};

// The file below `root` that a request's relative name denotes: no absolute
// path, no "..", no NUL, and no symlink that leads out of the root; it must
// be a regular file.
Result<std::filesystem::path> resolve_chart_file(const std::filesystem::path& root, std::string_view name);

// An environment name a request may use (it becomes a metrics label):
// [A-Za-z0-9][A-Za-z0-9._-]{0,62}.
bool valid_environment_name(std::string_view name);

class VerifyService {
 public:
  // Parses the policy and checks the trust material; an error stops the start.
  static Result<std::unique_ptr<VerifyService>> start(ServiceConfig config);
  explicit VerifyService(ServiceConfig config);

  // SIGHUP: parse the policy and load the trust material again. On an error
  // the previous policy and material stay in force and /healthz answers 503
  // until a reload succeeds.
  Status reload();

  HttpResponse handle(const HttpRequest& request);

 private:
  // Loads the trust material again when the last look is older than a few
  // seconds: when it loads, it replaces the one in force (a trust update, a
  // new keyring); when it does not, every decision is a deny until it does.
  // Returns why it does not load, or "".
  std::string refresh_material();
  HttpResponse healthz();
  HttpResponse verify(const HttpRequest& request);

  ServiceConfig config_;
  std::mutex mutex_;  // guards policy_, material_, reload_error_, the health cache
  std::shared_ptr<const policy::Policy> policy_;
  std::shared_ptr<const app::TrustMaterial> material_;
  std::string reload_error_;
  std::chrono::steady_clock::time_point health_checked_{};
  std::string health_error_;
  app::MetricsRegistry metrics_;
};

}  // namespace chartprov::server
