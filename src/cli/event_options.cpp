#include "cli/event_options.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "cli/argv_names.hpp"
#include "cli/output.hpp"
#include "util/url.hpp"

namespace chartprov::cli {
namespace {

// CLI11 prints a failing validator's message: never the URL's credentials.
const CLI::Validator kHttpUrl(
    [](std::string& url) -> std::string {
      const auto parsed = parse_http_url(url);
      return parsed ? std::string() : parsed.error().message;
    },
    "URL", "http(s) URL");

// A decision store: postgresql:// (or postgres://), no control characters; the message redacted.
const CLI::Validator kPostgresUrl(
    [](std::string& url) -> std::string {
      const bool scheme = url.starts_with("postgresql://") || url.starts_with("postgres://");
      const bool control =
          std::any_of(url.begin(), url.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
      if (!scheme || control || url.size() > kMaxUrl) return redact_url(url) + ": not a postgresql:// URL";
      return {};
    },
    "URL", "postgresql:// URL");

}  // namespace

void add_event_options(CLI::App* cmd, app::EventSinks& sinks, const ArgvNames* names) {
  const ArgvNames every = ArgvNames::all();
  OptionSieve s(cmd, names != nullptr ? *names : every);
  if (auto* o = s.option_function<std::string>(
          "--audit-log", [&sinks](const std::string& file) { sinks.audit_log = file; },
          "append the event to this hash-chained JSON-lines log (chartprov audit verify)")) {
    o->type_name("FILE");
  }
  s.flag("--events-stderr", sinks.to_stderr, "print the event as one JSON line on stderr");
  if (auto* o = s.option("--webhook", sinks.webhooks, "POST every event (JSON) to this URL; repeatable")) {
    o->type_name("URL")->check(kHttpUrl);
  }
  // Built whenever its variable is set: CLI11 reads the default from the environment.
  if (std::getenv("CHARTPROV_ALERT_WEBHOOK") != nullptr || s.names().has("--alert-webhook")) {
    cmd->add_option("--alert-webhook", sinks.alert_webhooks,
                    "POST an Alertmanager alert on deny and warn to this URL (e.g. "
                    "http://alertmanager:9093/api/v2/alerts); repeatable; default $CHARTPROV_ALERT_WEBHOOK "
                    "(comma-separated)")
        ->type_name("URL")
        ->envname("CHARTPROV_ALERT_WEBHOOK")
        ->delimiter(',')
        ->check(kHttpUrl);
  }
  // Built whenever its variable is set, as --alert-webhook.
  if (std::getenv("CHARTPROV_EVENTS_POSTGRES") != nullptr || s.names().has("--events-postgres")) {
    cmd->add_option("--events-postgres", sinks.postgres,
                    "insert every event into the table chartprov_events of this PostgreSQL database "
                    "(postgresql://user@host/db; through the chartprov-log helper); repeatable; default "
                    "$CHARTPROV_EVENTS_POSTGRES (comma-separated)")
        ->type_name("URL")
        ->envname("CHARTPROV_EVENTS_POSTGRES")
        ->delimiter(',')
        ->check(kPostgresUrl);
  }
  if (auto* o = s.option("--alert-retries", sinks.alert_retries,
                         "webhook and alert retries after the first attempt, with exponential backoff (default 3, at "
                         "most 10)")) {
    o->type_name("N")->check(CLI::Range(0, 10));
  }
  if (auto* o = s.option_function<double>(
          "--alert-timeout",
          [&sinks](double seconds) { sinks.alert_timeout_ms = static_cast<int>(std::lround(seconds * 1000)); },
          "seconds each webhook or alert attempt may take (default 5)")) {
    o->type_name("SECONDS")->check(CLI::Range(0.001, 600.0));
  }
  s.flag("--fail-if-alert-fails", sinks.fail_if_alert_fails,
         "fail (exit 2, an allow included) when an alert could not be delivered");
  if (auto* o = s.option_function<int>(
          "--expiry-warning",
          [&sinks](int days) { sinks.expiry_warning_seconds = static_cast<std::int64_t>(days) * 86400; },
          "warn (an expiry event, an alert, a metric) when the trust root or a key that counted expires within "
          "DAYS days (default 30; 0: never)")) {
    o->type_name("DAYS")->check(CLI::Range(0, 3650));
  }
  if (auto* o = s.option_function<std::string>(
          "--metrics-textfile", [&sinks](const std::string& file) { sinks.metrics_textfile = file; },
          "add the decision to this Prometheus textfile (node_exporter textfile collector)")) {
    o->type_name("FILE");
  }
}

bool report_emit(const Result<app::EmitReport>& result) {
  if (!result) {
    std::fprintf(stderr, "chartprov: event: %s\n", result.error().message.c_str());
    return false;
  }
  for (const auto& f : result->failures) std::fprintf(stderr, "chartprov: event: %s\n", f.c_str());
  for (const auto& w : result->warnings) std::fprintf(stderr, "chartprov: WARNING: %s\n", w.c_str());
  return true;
}

void report_record_failures(const app::DecisionRecord& record) {
  for (const auto& f : record.sink_failures) std::fprintf(stderr, "chartprov: event: %s\n", f.c_str());
  if (!record.unrecorded.empty()) std::fprintf(stderr, "chartprov: event: %s\n", record.unrecorded.c_str());
  for (const auto& w : record.warnings) std::fprintf(stderr, "chartprov: WARNING: %s\n", w.c_str());
}

int emit_and_report(const app::Event& event, const app::EventSinks& sinks, int rc) {
  return app::exit_after_recording(rc, report_emit(app::emit(event, sinks)));
}

}  // namespace chartprov::cli
