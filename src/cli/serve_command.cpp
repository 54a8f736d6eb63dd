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
#include "cli/server_signals.hpp"
#include "cli/trust_state_option.hpp"
#include "server/http_server.hpp"
#include "server/verify_service.hpp"

namespace chartprov::cli {

namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  bool allow_remote = false;
  std::string trust_dir, keyring, key, key_history, trusted_root, policy, env, chart_root;
  bool no_cache = false;
  std::vector<std::string> registries;
  bool plain_http = false;
  int workers = 4;
  int read_timeout = 10;
  int keep_alive_requests = 100;
  app::EventSinks sinks;
};

std::optional<std::filesystem::path> opt_path(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return std::filesystem::path(s);
}

int run_serve(const ServeOptions& o) {
  server::ServiceConfig config;
  config.trust.trust_dir = opt_path(o.trust_dir);
  config.trust.keyring = opt_path(o.keyring);
  config.trust.key = opt_path(o.key);
  config.trust.key_history = opt_path(o.key_history);
  config.trust.trusted_root = opt_path(o.trusted_root);
  config.trust.use_keyring_cache = !o.no_cache;
  config.policy_file = opt_path(o.policy);
  config.default_environment = o.env;
  config.chart_root = opt_path(o.chart_root);
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
  server::ServerOptions options;
  options.workers = o.workers;
  options.read_timeout = std::chrono::seconds(o.read_timeout);
  options.max_requests_per_connection = o.keep_alive_requests;
  auto http = server::HttpServer::listen(*address, o.allow_remote, options);
  if (!http) return report_error(http.error());
  std::printf("chartprov serve: listening on http://%s:%u (%d workers)\n",
              address->text.substr(0, address->text.rfind(':')).c_str(), static_cast<unsigned>((*http)->port()),
              o.workers);
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
  cmd->add_option("--trust-dir", o->trust_dir, "trusted keys: a trust root directory (root.json)");
  cmd->add_option_function<std::string>("--trust-state", use_trust_state_file, kTrustStateHelp);
  cmd->add_option("--keyring", o->keyring, "trusted keys: an OpenPGP keyring (.prov only)");
  cmd->add_option("--key", o->key, "trusted keys: one public key (cosign.pub, PEM)");
  cmd->add_option("--key-history", o->key_history, "with --keyring/--key: validity windows and revocations");
  cmd->add_option("--trusted-root", o->trusted_root, "Sigstore trusted_root.json for bundle log entries");
  cmd->add_flag("--no-cache", o->no_cache, "do not use the keyring cache");
  cmd->add_option("--policy", o->policy, "policy.yaml (default: the built-in policy)");
  cmd->add_option("--env", o->env, "the environment of requests that name none");
  cmd->add_option("--chart-root", o->chart_root, "chart files: requests name files below this directory");
  cmd->add_option("--allow-registry", o->registries, "oci://: a registry HOST[:PORT] requests may name (repeat)");
  cmd->add_flag("--plain-http", o->plain_http, "oci://: talk HTTP, not HTTPS (loopback registries)");
  cmd->add_option("--workers", o->workers, "connections served at once")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--read-timeout", o->read_timeout, "seconds to receive a whole request")
      ->check(CLI::Range(1, 300))
      ->capture_default_str();
  cmd->add_option("--keep-alive-requests", o->keep_alive_requests, "requests per connection before it is closed")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  add_event_options(cmd, o->sinks);
  return [o] { return run_serve(*o); };
}

}  // namespace chartprov::cli
