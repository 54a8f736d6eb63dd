// `chartprov serve --listen 127.0.0.1:PORT (--trust-dir D | --keyring F | --key F)
// [--policy F] [--env E] [--chart-root DIR] [--allow-registry HOST]...`:
// the decision API over HTTP (server/verify_service.hpp, docs/OPERATIONS.md).
// SIGTERM/SIGINT stop it gracefully; SIGHUP re-reads the policy and checks
// the trust material again.
#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <memory>
#include <thread>

#include "cli/commands.hpp"
#include "cli/event_options.hpp"
#include "cli/output.hpp"
#include "cli/server_options.hpp"
#include "cli/server_signals.hpp"
#include "server/http_server.hpp"
#include "server/verify_service.hpp"

namespace chartprov::cli {

namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  bool allow_remote = false;
  ServerTrustOptions trust;
  std::string policy, env, chart_root;
  std::vector<std::string> registries;
  bool plain_http = false;
  ServerTuning tuning;
  app::EventSinks sinks;
};

int run_serve(const ServeOptions& o) {
  server::ServiceConfig config;
  config.trust = o.trust.source();
  config.policy_file = optional_path(o.policy);
  config.default_environment = o.env;
  config.chart_root = optional_path(o.chart_root);
  config.registries = o.registries;
  config.plain_http = o.plain_http;
  config.sinks = o.sinks;
  if (!config.chart_root && config.registries.empty()) {
    return report_error(
        usage_error("nothing to verify: give --chart-root DIR (chart files) and/or --allow-registry HOST (oci://)"));
  }
  const auto address = server::parse_listen_address(o.listen);
  if (!address) return report_error(address.error());

  const sigset_t set = block_server_signals();  // before any thread starts

  auto service = server::VerifyService::start(std::move(config));
  if (!service) return report_error(service.error());
  auto http = server::HttpServer::listen(*address, o.allow_remote, o.tuning.options());
  if (!http) return report_error(http.error());
  std::printf("chartprov serve: listening on http://%s:%u (%d workers)\n",
              address->text.substr(0, address->text.rfind(':')).c_str(), static_cast<unsigned>((*http)->port()),
              o.tuning.workers);
  std::fflush(stdout);

  std::atomic<bool> done = false;
  const SignalActions actions{"chartprov serve", [&] { (*http)->stop(); }, [&] { return (*service)->reload(); }};
  std::thread signals([&] { handle_server_signals(set, actions, done); });
  const auto st = (*http)->run([&](const server::HttpRequest& r) { return (*service)->handle(r); });
  done.store(true);
  signals.join();
  if (!st) return report_error(st.error());
  std::fprintf(stderr, "chartprov serve: stopped\n");
  return kExitOk;
}

}  // namespace

Runner add_serve_command(CLI::App& app) {
  auto o = std::make_shared<ServeOptions>();
  auto* cmd =
      app.add_subcommand("serve", "Answer verification decisions over HTTP (POST /v1/verify, /healthz, /metrics)");
  cmd->add_option("--listen", o->listen, "numeric IPv4:PORT or [IPv6]:PORT (port 0: any free port)")
      ->capture_default_str();
  cmd->add_flag("--allow-remote", o->allow_remote,
                "listen on a non-loopback address (the API has no authentication: put an authenticating TLS proxy "
                "in front)");
  add_server_trust_options(cmd, o->trust);
  cmd->add_option("--policy", o->policy, "policy.yaml (default: the built-in policy)");
  cmd->add_option("--env", o->env, "the environment of requests that name none");
  cmd->add_option("--chart-root", o->chart_root, "chart files: requests name files below this directory");
  cmd->add_option("--allow-registry", o->registries, "oci://: a registry HOST[:PORT] requests may name (repeat)");
  cmd->add_flag("--plain-http", o->plain_http, "oci://: talk HTTP, not HTTPS (loopback registries)");
  add_server_tuning_options(cmd, o->tuning);
  add_event_options(cmd, o->sinks);
  return [o] { return run_serve(*o); };
}

}  // namespace chartprov::cli
