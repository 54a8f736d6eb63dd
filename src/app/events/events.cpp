#include "app/events/events.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "app/events/actor.hpp"
#include "app/events/event_json.hpp"
#include "app/events/metrics.hpp"
#include "app/helpers/decision_store_client.hpp"
#include "app/helpers/http_client.hpp"
#include "audit/audit_log.hpp"
#include "util/clock.hpp"
#include "util/url.hpp"
#include "util/writeall.hpp"

namespace chartprov::app {
namespace {

using nlohmann::ordered_json;

// One chartprov-log run per decision store: connect, create the table when missing, insert.
constexpr int kDecisionStoreTimeoutMs = 15000;

std::string hostname() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) return {};
  return host;
}

struct Delivery {
  std::string what;  // "webhook" | "alert webhook"
  HttpPost post;
  bool alert = false;
  HttpAnswer last;
  int attempts = 0;
  bool done = false;
};

// A 4xx other than 408/429 will be refused again: not retried.
bool worth_retrying(const HttpAnswer& a) {
  if (!a.error.empty() || a.status == 0) return true;
  return a.status == 408 || a.status == 429 || a.status >= 500;
}

// Every pending delivery once per round, in one helper run; then exponential
// backoff (250 ms doubling, at most 8 s) before the next round.
void deliver(std::vector<Delivery>& deliveries, int retries) {
  const int rounds = 1 + std::clamp(retries, 0, 10);
  std::chrono::milliseconds backoff(250);
  for (int round = 0; round < rounds; ++round) {
    std::vector<Delivery*> pending;
    for (auto& d : deliveries) {
      if (!d.done && (d.attempts == 0 || worth_retrying(d.last))) pending.push_back(&d);
    }
    if (pending.empty()) return;
    if (round > 0) {
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(8000));
    }
    std::vector<HttpPost> posts;
    for (const auto* d : pending) posts.push_back(d->post);
    auto answers = http_post_all(posts);
    for (std::size_t i = 0; i < pending.size(); ++i) {
      Delivery& d = *pending[i];
      ++d.attempts;
      if (!answers) {
        d.last = HttpAnswer{};
        d.last.error = answers.error().message;
      } else {
        d.last = (*answers)[i];
      }
      // The helper names the URL (redacted) in its errors; the report names it once.
      const std::string prefix = redact_url(d.post.url) + ": ";
      if (d.last.error.starts_with(prefix)) d.last.error.erase(0, prefix.size());
      d.done = d.last.ok();
    }
  }
}

// The warning that follows a decision whose trust material expires soon.
Event expiry_event(const Event& decision, const std::vector<std::string>& warnings) {
  Event e;
  e.kind = "expiry";
  e.time = decision.time;
  e.environment = decision.environment;
  e.chart = decision.chart;
  e.name = decision.name;
  e.version = decision.version;
  e.digest = decision.digest;
  e.decision = "warn";
  e.mode = decision.mode;
  e.reasons = warnings;
  e.reason_code = "expiry";
  e.actor = decision.actor;
  return e;
}

// One event to every sink. expiring: the kind of each expiry warning the
// event raised, counted with a decision in the metrics.
Result<EmitReport> send(const Event& event, std::int64_t time, const EventSinks& sinks,
                        const std::vector<std::string>& expiring) {
  const std::string host = hostname();
  ordered_json j = event_json(event, time, host);
  std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  EmitReport report;
  std::vector<std::string> fatal;

  if (sinks.audit_log) {
    // The audit log takes the event as a value (it sorts the keys and writes the line itself,
    // replacing invalid UTF-8 as the line above does), not as text to parse back.
    auto r = audit::append_event(*sinks.audit_log, nlohmann::json(j), time);
    if (!r) {
      fatal.push_back("audit log " + sinks.audit_log->string() + ": " + r.error().message);
    } else {
      // The other sinks keep the head this event made: a copy of the chain's end
      // outside the file, which --expect-head can check against a rewritten tail.
      j["audit_head"] = *r;
      line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  }
  if (sinks.to_stderr) {
    // The sink is stderr itself: one whole line per write, so lines of
    // concurrent runs sharing a stream do not interleave.
    if (writeall(STDERR_FILENO, line + "\n") != 0) report.failures.push_back("stderr: cannot write the event");
  }

  // Decisions only: the metrics count verifications. A counter that cannot be
  // updated is reported; it does not stop a deployment.
  if (sinks.metrics_textfile && event.kind == "decision") {
    const DecisionSample sample{event.environment, event.decision, event.reason_code, event.duration_seconds};
    if (auto st = add_to_metrics_textfile(*sinks.metrics_textfile, sample, expiring); !st) {
      report.failures.push_back("metrics textfile " + sinks.metrics_textfile->string() + ": " + st.error().message);
    }
  }

  std::vector<Delivery> deliveries;
  for (const auto& url : sinks.webhooks) {
    Delivery d;
    d.what = "webhook";
    d.post = {url, "application/json", line, sinks.alert_timeout_ms};
    deliveries.push_back(std::move(d));
  }
  if (is_alert(event)) {
    const std::string alerts =
        alertmanager_alerts(event, time, host).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    for (const auto& url : sinks.alert_webhooks) {
      Delivery d;
      d.what = "alert webhook";
      d.alert = true;
      d.post = {url, "application/json", alerts, sinks.alert_timeout_ms};
      deliveries.push_back(std::move(d));
    }
  }
  deliver(deliveries, sinks.alert_retries);
  // A decision store that cannot take the event is reported like a webhook that failed: the
  // audit log is the record that must not be missing; a database can be backfilled from it.
  for (const auto& url : sinks.postgres) {
    if (auto st = record_event_in_postgres(url, line, kDecisionStoreTimeoutMs); !st)
      report.failures.push_back("decision store " + redact_url(url) + ": " + st.error().message);
  }
  for (const auto& d : deliveries) {
    if (d.done) continue;
    const std::string why = d.what + " " + redact_url(d.post.url) + ": " + d.last.describe() + " (" +
                            std::to_string(d.attempts) + (d.attempts == 1 ? " attempt)" : " attempts)");
    if (d.alert && sinks.fail_if_alert_fails) {
      fatal.push_back(why + "; --fail-if-alert-fails");
    } else {
      report.failures.push_back(why);
    }
  }

  if (!fatal.empty()) {
    std::string message = "the event could not be recorded: " + fatal.front();
    for (std::size_t i = 1; i < fatal.size(); ++i) message += "; " + fatal[i];
    for (const auto& f : report.failures) message += "; " + f;
    return input_error(message);
  }
  return report;
}

}  // namespace

Result<EmitReport> emit(const Event& asked, const EventSinks& sinks) {
  const std::int64_t time = now_or(asked.time);
  EmitReport report;
  report.expiring = policy::expiring_within(asked.expiries, time, sinks.expiry_warning_seconds);
  for (const auto& x : report.expiring) report.warnings.push_back(policy::expiry_warning(x, time));
  // The verify hot path calls this every time: no sink, no work.
  if (!sinks.audit_log && !sinks.to_stderr && sinks.webhooks.empty() && sinks.alert_webhooks.empty() &&
      !sinks.metrics_textfile && sinks.postgres.empty()) {
    return report;
  }
  Event event = asked;
  if (!event.actor) event.actor = current_actor();
  std::vector<std::string> kinds;
  for (const auto& x : report.expiring) kinds.emplace_back(policy::expiry_kind_name(x.kind));
  TRY(EmitReport sent, send(event, time, sinks, kinds));
  report.failures = std::move(sent.failures);
  if (!report.warnings.empty()) {
    TRY(EmitReport warned, send(expiry_event(event, report.warnings), time, sinks, {}));
    report.failures.insert(report.failures.end(), warned.failures.begin(), warned.failures.end());
  }
  return report;
}

}  // namespace chartprov::app
