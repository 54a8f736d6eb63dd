#pragma once
// The record of one admission decision (issue 15: "every decision is an
// event"): the judged release as evidence, the environment's verdict as a
// decision, sent through app::record_decision to every configured sink with
// the Kubernetes user who asked as the actor. Requests that were not judged
// (not a release record, DELETE) and dry runs are not recorded: they deploy
// nothing.
#include "app/admission/admit.hpp"
#include "app/admission/store_set.hpp"
#include "app/events/decision_report.hpp"
#include "app/events/events.hpp"

namespace chartprov::app {

// The chart a record named, as evidence: "Secret NAMESPACE/NAME" for the
// object, the chart's name and version from the payload, and, when the
// record's chart object is exactly a stored chart, that chart's digest.
[[nodiscard]] policy::Evidence admission_evidence(const AdmissionOutcome& outcome, const StoreSet& stores);

// The decision an outcome stands for: allowed when admitted as verified (or
// the environment is in mode off), else a deny with the refusal as reason,
// reason code "namespace" (no environment), "manifest" (the chart object is
// a verified chart's, its rendered manifest is not) or "release" (any other
// refusal), in the environment's mode.
[[nodiscard]] policy::Decision admission_decision(const AdmissionOutcome& outcome);

// Records `outcome` (seconds: how long the answer took). When the decision
// could not be recorded and the answer would admit the release, the answer
// becomes a denial (code 403, "chartprov: the decision could not be recorded:
// ..."): an allow that cannot be recorded is not an allow. Returns the record;
// nullopt when nothing was recorded (not judged, or a dry run).
[[nodiscard]] std::optional<DecisionRecord> record_admission(AdmissionOutcome& outcome, const StoreSet& stores,
                                                             double seconds, const EventSinks& sinks);

}  // namespace chartprov::app
