#pragma once
// What a verify path found, before it becomes an event (app/events/events.hpp):
// the chart, what counted and the outcome. `verify` fills it on every path
// (input errors included) and emits it.
#include <string>
#include <vector>

#include "app/events/events.hpp"

namespace chartprov::app {

struct DecisionEvent {
  std::string chart;  // file name or oci:// reference
  std::string name, version, digest;
  std::string environment;
  std::vector<std::string> signers;  // key ids / fingerprints that counted
  bool allowed = false;
  std::vector<std::string> reasons;
};

// A decision event: allow or deny, in enforce mode (verify blocks on a deny).
Event decision_event(const DecisionEvent& decision);

}  // namespace chartprov::app
