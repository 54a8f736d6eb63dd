#pragma once
// Events (issue 5): one structured record per sign and per decision, sent to
// every configured sink: the hash-chained audit log, stderr (JSON line),
// webhooks (the event as JSON), Alertmanager-compatible alert webhooks (on
// deny and warn only), the Prometheus textfile, and PostgreSQL decision
// stores (a row of chartprov_events each, through the chartprov-log helper:
// app/helpers/decision_store_client.hpp). A sink that fails is
// reported; only the audit log, and alerts under fail_if_alert_fails, make
// emit() fail, because production must not deploy unobserved.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/events/event.hpp"
#include "policy/expiry.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct EventSinks {
  std::optional<std::filesystem::path> audit_log;
  bool to_stderr = false;
  std::vector<std::string> webhooks;        // every event, as JSON
  std::vector<std::string> alert_webhooks;  // Alertmanager /api/v2/alerts, deny and warn
  int alert_retries = 3;                    // attempts after the first
  int alert_timeout_ms = 5000;              // per attempt
  bool fail_if_alert_fails = false;
  std::optional<std::filesystem::path> metrics_textfile;  // node_exporter textfile collector
  std::vector<std::string> postgres;  // decision stores (postgresql:// URLs): every event, one attempt each
  std::int64_t expiry_warning_seconds = policy::kDefaultExpiryWarningSeconds;  // 0: no expiry warnings
};

struct EmitReport {
  std::vector<std::string> failures;     // one line per sink that failed (reported on stderr by the CLI)
  std::vector<policy::Expiry> expiring;  // the event's trust material that expires within the window
  std::vector<std::string> warnings;     // each of them said in words, for stderr
};

// Fails (an Error) when the audit log cannot be written, or when an alert
// could not be delivered and fail_if_alert_fails is set. An event without an
// actor is sent with this process's (app/events/actor.hpp). When trust material
// of the event expires within the window, an "expiry" event (decision "warn",
// reason_code "expiry", an alert of its own) follows it to every sink, and the
// metrics count each warning by kind; the report lists them for stderr.
Result<EmitReport> emit(const Event& asked, const EventSinks& sinks);

}  // namespace chartprov::app
