// `chartprov admission --listen IP:PORT --tls-cert F --tls-key F
// (--trust-dir D | --keyring F | --key F) [--policy F] [--env ENV]
// --chart-source SRC...`: the Kubernetes validating admission webhook for
// Helm release records over HTTPS (server/admission_service.hpp,
// docs/ADMISSION.md). SIGTERM/SIGINT stop it gracefully; SIGHUP builds the
// policy, trust material and chart stores again; the TLS files are reloaded
// when they change.
#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/admission/store_source.hpp"
#include "cli/commands.hpp"
#include "cli/event_options.hpp"
#include "cli/output.hpp"
#include "cli/server_options.hpp"
#include "cli/server_signals.hpp"
#include "server/admission_service.hpp"
#include "server/http_server.hpp"
#include "server/tls_reloader.hpp"
#include "util/clock.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::cli {
namespace {

constexpr auto kTlsCheckInterval = std::chrono::seconds(1);

struct AdmissionOptions {
  std::string listen, tls_cert, tls_key, client_ca;
  ServerTrustOptions trust;
  std::string policy, env;
  std::vector<std::string> chart_sources;
  ServerTuning tuning{8, 10, 1000};
  int miss_refresh = 10;
  bool plain_http = false;
  std::string helm, kube_version;
  std::vector<std::string> api_versions;
  app::EventSinks sinks;
};

void log_line(std::string_view line) {
  std::fprintf(stderr, "chartprov admission: %.*s\n", static_cast<int>(line.size()), line.data());
}

Result<server::AdmissionServiceConfig> service_config(const AdmissionOptions& o) {
  server::AdmissionServiceConfig config;
  config.trust = o.trust.source();
  config.policy_file = optional_path(o.policy);
  config.default_environment = o.env;
  for (const auto& s : o.chart_sources) {
    auto source = app::parse_store_source(s);
    if (!source) return source.error();
    config.chart_sources.push_back(std::move(*source));
  }
  config.sinks = o.sinks;
  config.miss_refresh_interval = std::chrono::seconds(o.miss_refresh);
  config.plain_http = o.plain_http;
  config.renderer.helm = o.helm;
  config.renderer.kube_version = o.kube_version;
  config.renderer.api_versions = o.api_versions;
  return config;
}

int run_admission(const AdmissionOptions& o) {
  const auto address = server::parse_listen_address(o.listen);
  if (!address) return report_error(address.error());
  tls::ServerFiles files{o.tls_cert, o.tls_key, optional_path(o.client_ca)};
  auto reloader = server::TlsReloader::start(std::move(files), log_line, kTlsCheckInterval);
  if (!reloader) return report_error(reloader.error().with_context("--tls-cert/--tls-key"));

  const sigset_t set = block_server_signals();  // before any thread starts
  auto config = service_config(o);
  if (!config) return report_error(config.error());
  config->listener_problem = [r = reloader->get()] { return r->problem(unix_now()); };
  config->log = log_line;
  auto service = server::AdmissionService::start(std::move(*config));
  if (!service) return report_error(service.error());
  std::fputs((*service)->summary().c_str(), stderr);

  server::ServerOptions options = o.tuning.options();
  options.limits.max_body = server::kMaxAdmissionBody;
  options.make_stream = [r = reloader->get()](int fd) { return tls::make_tls_stream(fd, r->current()); };
  // TLS authenticates the server; the API server is its client: any address.
  auto http = server::HttpServer::listen(*address, true, options);
  if (!http) return report_error(http.error());
  const auto& facts = (*reloader)->current()->facts();
  std::printf("chartprov admission: listening on https://%s:%u (%d workers; certificate %s, valid until %s)\n",
              address->text.substr(0, address->text.rfind(':')).c_str(), static_cast<unsigned>((*http)->port()),
              o.tuning.workers, facts.subject.c_str(), format_rfc3339(facts.not_after).c_str());
  std::fflush(stdout);

  std::atomic<bool> done = false;
  const SignalActions actions{"chartprov admission", [&] { (*http)->stop(); },
                              [&]() -> Status {
                                TRY_STATUS((*service)->reload());
                                std::fputs((*service)->summary().c_str(), stderr);
                                return ok_status();
                              }};
  std::thread signals([&] { handle_server_signals(set, actions, done); });
  const auto st = (*http)->run([&](const server::HttpRequest& r) { return (*service)->handle(r); });
  done.store(true);
  signals.join();
  if (!st) return report_error(st.error());
  std::fprintf(stderr, "chartprov admission: stopped\n");
  return kExitOk;
}

}  // namespace

Runner add_admission_command(CLI::App& app) {
  auto o = std::make_shared<AdmissionOptions>();
  auto* cmd = app.add_subcommand(
      "admission",
      "Kubernetes admission webhook for Helm release records over HTTPS (POST /validate, /healthz, /readyz)");
  cmd->add_option("--listen", o->listen, "numeric IPv4:PORT or [IPv6]:PORT (port 0: any free port)")->required();
  cmd->add_option("--tls-cert", o->tls_cert, "PEM certificate chain, leaf first (reloaded when the file changes)")
      ->required();
  cmd->add_option("--tls-key", o->tls_key, "PEM private key of the certificate (mode 0600 or 0440)")->required();
  cmd->add_option("--client-ca", o->client_ca, "require client certificates that chain to these PEM CAs");
  add_server_trust_options(cmd, o->trust);
  cmd->add_option("--policy", o->policy, "policy.yaml: environments and the namespaces bound to them");
  cmd->add_option("--env", o->env, "the environment of namespaces that no binding of the policy names");
  cmd->add_option("--chart-source", o->chart_sources,
                  "a directory of signed charts (a `chartprov mirror` output), or a chart repository URL (mirrored; "
                  "again on a miss)")
      ->required();
  add_server_tuning_options(cmd, o->tuning);
  cmd->add_option("--helm", o->helm,
                  "the helm that renders verified charts for the manifest check (default: $CHARTPROV_HELM, else the "
                  "helm next to chartprov)");
  cmd->add_option("--kube-version", o->kube_version,
                  "the cluster's Kubernetes version, for charts that read .Capabilities (e.g. v1.31.2)");
  cmd->add_option("--api-versions", o->api_versions,
                  "API versions the cluster serves beyond helm's built-in set, for .Capabilities (repeat)");
  cmd->add_flag("--plain-http", o->plain_http, "oci:// chart sources: talk HTTP, not HTTPS (loopback registries)");
  cmd->add_option("--miss-refresh-interval", o->miss_refresh,
                  "seconds between two fetches for a chart the stores lack (a repository re-mirror; a registry "
                  "pull of that chart)")
      ->check(CLI::Range(0, 3600))
      ->capture_default_str();
  add_event_options(cmd, o->sinks);
  return [o] { return run_admission(*o); };
}

}  // namespace chartprov::cli
