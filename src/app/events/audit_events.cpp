#include "app/events/audit_events.hpp"

namespace chartprov::app {

Event decision_event(const DecisionEvent& d) {
  Event e;
  e.kind = "decision";
  e.chart = d.chart;
  e.name = d.name;
  e.version = d.version;
  e.digest = d.digest;
  e.environment = d.environment;
  e.signers = d.signers;
  e.decision = d.allowed ? "allow" : "deny";
  e.mode = "enforce";  // verify without --env: any failure is a deny
  e.reasons = d.reasons;
  // No policy judged the evidence, so the only kind of deny is "it did not verify".
  if (!d.allowed) e.reason_code = "unverified";
  return e;
}

}  // namespace chartprov::app
