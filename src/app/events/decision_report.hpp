#pragma once
// The one record of a decision, wherever it leaves the program (`verify
// --env`, the deploy gate, `serve`'s POST /v1/verify): one function builds
// its event, sends it to the sinks and applies "an allow that cannot be
// recorded is not an allow"; one text with one wording per verdict; one JSON
// shape.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/events/events.hpp"
#include "app/verify/decide.hpp"

namespace chartprov::app {

struct DecisionRecord {
  policy::Evidence evidence;
  policy::Decision decision;               // as recorded: see record_decision
  Event event;                             // as sent (and as the metrics count it)
  std::vector<std::string> sink_failures;  // sinks that failed without failing the record
  std::string unrecorded;                  // why the event could not be recorded; empty when it was
  bool passed_unrecorded = false;          // the decision did not block but could not be recorded
  std::vector<policy::Expiry> expiring;    // trust material expiring within the warning window
  std::vector<std::string> warnings;       // each of them in words ("trust root v7 expires at ...")

  // 0: does not block; 1: a deny that blocks; 2: a decision that would have
  // let the chart through but could not be recorded (exit_after_recording).
  int exit_code() const;
};

// A decision that could not be reached (a usage or input error): a deny in
// enforce mode, reason_code "error", the error's message as its reason.
policy::Decision error_decision(std::string_view environment, const Error& error);

// Builds the event of the decision (time: now; duration: the verification
// latency), sends it to every sink, and when the event could not be recorded
// (the audit log, or an alert under fail_if_alert_fails) turns a decision
// that does not block (an allow, a warn or off deny) into a blocking deny:
// mode enforce, reason_code "error", and the reason "the decision could not
// be recorded: ...". `evidence.chart` is what the user named. Trust material
// of the evidence that expires within sinks.expiry_warning_seconds is in
// `expiring` and `warnings` (and raised an "expiry" event, app/events/events.hpp).
// `actor`: who asked, when not this process (emit() fills that in).
DecisionRecord record_decision(policy::Evidence evidence, policy::Decision decision, double duration_seconds,
                               const EventSinks& sinks, std::optional<Actor> actor = std::nullopt);

// The rule for callers whose outcome is an exit code alone (plain verify,
// sign): `rc` when the event was recorded; when it was not, 0 (an allow)
// becomes 2 and a failure keeps its code.
int exit_after_recording(int rc, bool recorded);

// The text of a decision, one wording per verdict (the caller prints an allow
// on stdout, or where its output goes, the rest on stderr):
//   ALLOW <chart> for <env> (mode <m>)
//   chartprov: DENY <chart> for <env> (mode enforce)
//   chartprov: WARNING: <chart> would be denied in <env> (mode <m>: not blocking)
// <chart> is "NAME VERSION" when the archive was read, else what the user
// named; <env> is "no environment" for the built-in no-environment policy.
// Then the rule, the signers, every reason, every envelope's verdict, every
// attestation's (its predicate type, builder and source), the digest and the
// trust material, one per line.
std::string decision_text(const policy::Evidence& evidence, const policy::Decision& decision);

nlohmann::json decision_json(const DecideResult& result);
// The same for any decision: `evidence` holds what is known, the chart at least.
nlohmann::json decision_json(const policy::Evidence& evidence, const policy::Decision& decision);
// The decision of a record, with "event_failures" when a sink failed and
// "warnings" when trust material expires soon.
nlohmann::json decision_json(const DecisionRecord& record);

}  // namespace chartprov::app
