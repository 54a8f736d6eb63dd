// `chartprov log monitor`: follows a transparency log and alerts through the
// event sinks (app/log/monitor.hpp). --once: one round, exit 0 (nothing
// found), 1 (an alert: a finding, or a log that could not be checked), 2 (a
// usage or input error: the trust root, the state file, an event that could
// not be recorded). Without --once: a round every --interval seconds until
// SIGTERM or SIGINT (taken between rounds); SIGHUP starts a round at once.
#include "cli/log_monitor_command.hpp"

#include <signal.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "app/log/log_client.hpp"
#include "app/log/monitor.hpp"
#include "cli/event_options.hpp"
#include "cli/output.hpp"
#include "cli/server_signals.hpp"
#include "cli/trust_state_option.hpp"
#include "util/glob.hpp"
#include "util/url.hpp"

namespace chartprov::cli {
namespace {

struct MonitorOptions {
  app::log::MonitorRequest request;
  std::string log_key;
  bool once = false;
  double interval = 60;
  double timeout = 30;
};

void print_round(const app::log::RoundResult& r, const std::string& url) {
  for (const auto& a : r.alerts) {
    std::printf("ALERT %s%s: %s\n", a.reason_code.c_str(),
                a.index ? (" entry " + std::to_string(*a.index)).c_str() : "", a.reason.c_str());
  }
  std::printf("log %s: entries %llu to %llu read, %llu allowed, %llu unwatched, %zu alerts%s\n",
              redact_url(url).c_str(), static_cast<unsigned long long>(r.from), static_cast<unsigned long long>(r.to),
              static_cast<unsigned long long>(r.allowed), static_cast<unsigned long long>(r.unwatched), r.alerts.size(),
              r.next ? "" : "; the state was not advanced");
  for (const auto& f : r.sink_failures) std::fprintf(stderr, "chartprov: event: %s\n", f.c_str());
  std::fflush(stdout);
}

int one_round(const MonitorOptions& o) {
  app::log::LogEndpoint endpoint;
  endpoint.url = o.request.log_url;
  endpoint.timeout_ms = static_cast<int>(o.timeout * 1000);
  auto reader = app::log::open_http_log(endpoint);
  if (!reader) {
    if (auto failure = app::log::count_failed_round(o.request))
      std::fprintf(stderr, "chartprov: event: %s\n", failure->c_str());
    return report_error(reader.error());
  }
  auto r = app::log::monitor_round(**reader, o.request);
  if (!r) return report_error(r.error());
  print_round(*r, o.request.log_url);
  return r->alerts.empty() ? kExitOk : kExitFailed;
}

// Waits up to `seconds` for SIGTERM/SIGINT (true: stop) or SIGHUP (false: a round now).
bool wait_for_stop(const sigset_t& set, double seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (true) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::nanoseconds(0)) return false;
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
    const timespec wait{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
    const int sig = ::sigtimedwait(&set, nullptr, &wait);
    if (sig == SIGTERM || sig == SIGINT) {
      std::fprintf(stderr, "chartprov log monitor: %s: stopping\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
      return true;
    }
    if (sig == SIGHUP) return false;
  }
}

int run(MonitorOptions& o) {
  for (const auto& g : o.request.watch) {
    if (auto st = check_glob(g); !st) return report_error(usage_error("--watch " + g + ": " + st.error().message));
  }
  if (!o.log_key.empty()) o.request.log_key_file = o.log_key;
  if (o.once) return one_round(o);
  const sigset_t set = block_server_signals();
  while (true) {
    (void)one_round(o);  // every outcome is reported; the next round tries again
    if (wait_for_stop(set, o.interval)) return kExitOk;
  }
}

}  // namespace

Runner add_log_monitor_command(CLI::App& log) {
  auto o = std::make_shared<MonitorOptions>();
  auto* cmd = log.add_subcommand(
      "monitor",
      "Follow a transparency log: check each new checkpoint extends the last, alert on entries the trust "
      "root does not allow");
  cmd->add_option("--log", o->request.log_url, "the log's URL (http(s)://host[:port][/prefix])")
      ->required()
      ->type_name("URL");
  cmd->add_option("--trust-dir", o->request.trust_dir, "the trust directory whose trust root judges the entries")
      ->required()
      ->type_name("DIR");
  cmd->add_option_function<std::string>("--trust-state", use_trust_state_file, kTrustStateHelp);
  cmd->add_option("--state", o->request.state_file,
                  "the monitor's state file (the last checkpoint it checked; created on the first round)")
      ->required()
      ->type_name("FILE");
  auto* key = cmd->add_option("--log-key", o->log_key,
                              "the log's public key (PEM) instead of the trust root's Sigstore trusted root; with "
                              "--origin")
                  ->type_name("FILE");
  auto* origin =
      cmd->add_option("--origin", o->request.origin, "the log's origin (its checkpoints' key name)")->type_name("NAME");
  key->needs(origin);
  origin->needs(key);
  cmd->add_option("--watch", o->request.watch,
                  "also alert on entries for charts matching GLOB signed by a signer the trust root does not list "
                  "(repeatable; every allowed_charts glob of the trust root is watched anyway)")
      ->type_name("GLOB");
  cmd->add_flag("--once", o->once, "one round, then exit: 0 nothing found, 1 alerts, 2 error");
  cmd->add_flag("--verify-signatures", o->request.every_signature,
                "check every entry's signature again, not only those of entries with a finding (an audit of the "
                "log; slower)");
  cmd->add_option("--interval", o->interval, "seconds between rounds (default 60)")
      ->type_name("SECONDS")
      ->check(CLI::Range(1.0, 86400.0));
  cmd->add_option("--timeout", o->timeout, "seconds each request to the log may take (default 30)")
      ->type_name("SECONDS")
      ->check(CLI::Range(1.0, 600.0));
  add_event_options(cmd, o->request.sinks);
  return [o] { return run(*o); };
}

}  // namespace chartprov::cli
