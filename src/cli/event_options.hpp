#pragma once
// The event sink options every command that signs or decides takes
// (app/events/events.hpp): --audit-log, --events-stderr, --webhook, --alert-webhook,
// --alert-retries, --alert-timeout, --fail-if-alert-fails, --expiry-warning, --metrics-textfile,
// --events-postgres, and CHARTPROV_ALERT_WEBHOOK / CHARTPROV_EVENTS_POSTGRES (comma-separated)
// when --alert-webhook / --events-postgres is not given.
#include "app/events/decision_report.hpp"
#include "app/events/events.hpp"
#include "util/result.hpp"

namespace CLI {
class App;
}

namespace chartprov::cli {

class ArgvNames;

// Registers the options on cmd; parsing fills `sinks` (which must outlive it). With `names`,
// only those the command line names (and --alert-webhook, --events-postgres whenever their
// variables are set).
void add_event_options(CLI::App* cmd, app::EventSinks& sinks, const ArgvNames* names = nullptr);

// Prints what emit() could not do on stderr ("chartprov: event: ..."), one
// line per failed sink, and each expiry warning ("chartprov: WARNING: ..."). Returns false when emit() failed as a
// whole (the audit log, or an alert under --fail-if-alert-fails): the caller fails closed.
bool report_emit(const Result<app::EmitReport>& result);

// The same lines for a decision record (app::record_decision): every sink
// that failed, why the event could not be recorded, and each expiry warning.
void report_record_failures(const app::DecisionRecord& record);

// emit() + report_emit(), folded into the command's exit code by
// app::exit_after_recording (an unrecorded allow is not an allow).
int emit_and_report(const app::Event& event, const app::EventSinks& sinks, int rc);

}  // namespace chartprov::cli
