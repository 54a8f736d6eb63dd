#pragma once
// The event sink options every command that signs or decides takes
// (app/events.hpp): --audit-log, --events-stderr, --webhook, --alert-webhook,
// --alert-retries, --alert-timeout, --fail-if-alert-fails, --metrics-textfile,
// and CHARTPROV_ALERT_WEBHOOK (comma-separated) when --alert-webhook is not given.
#include "app/events.hpp"
#include "util/result.hpp"

namespace CLI {
class App;
}

namespace chartprov::cli {

class ArgvNames;

// Registers the options on cmd; parsing fills `sinks` (which must outlive it). With `names`,
// only those the command line names (and --alert-webhook whenever its variable is set).
void add_event_options(CLI::App* cmd, app::EventSinks& sinks, const ArgvNames* names = nullptr);

// Prints what emit() could not do on stderr ("chartprov: event: ..."), one
// line per failed sink. Returns false when emit() failed as a whole (the audit
// log, or an alert under --fail-if-alert-fails): the caller fails closed.
bool report_emit(const Result<app::EmitReport>& result);

// emit() + report_emit(), folded into the command's exit code: `rc` when the
// event was recorded; when it was not, an allow (rc 0) becomes exit 2 (an
// unrecorded allow is not an allow) and a failure keeps its own code.
int emit_and_report(const app::Event& event, const app::EventSinks& sinks, int rc);

}  // namespace chartprov::cli
