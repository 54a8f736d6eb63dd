#pragma once
// The event (app/events/events.hpp): one structured record per sign and per decision, as every
// sink receives it. Its own header so that its wire shapes (app/events/event_json.hpp) and its
// delivery (emit) both build on it without including each other.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/events/actor.hpp"
#include "policy/expiry.hpp"

namespace chartprov::app {

struct Event {
  std::string kind;       // "decision" | "sign" | "expiry" | "monitor"
  std::int64_t time = 0;  // unix seconds; 0: the clock
  std::string environment;
  std::string chart;  // file name or oci:// reference
  std::string name, version, digest;
  std::vector<std::string> signers;
  std::string decision;  // allow | deny | warn (decision) ; signed | failed (sign)
  std::string mode;      // enforce | warn | off (decision)
  std::vector<std::string> reasons;
  std::string reason_code;      // Decision::reason_code: the metrics label
  double duration_seconds = 0;  // verification latency, for the histogram
  std::optional<Actor> actor;   // who asked; emit() fills in this process's (current_actor) when unset
  // A decision: when the trust material it relied on ends. Whatever expires
  // within EventSinks::expiry_warning_seconds raises an "expiry" event after it.
  std::vector<policy::Expiry> expiries;
  // A monitor event (app/log/monitor.hpp): the log's URL, and the index of the
  // entry it is about (none for a finding about the log itself).
  std::string log;
  std::optional<std::uint64_t> log_index;
};

}  // namespace chartprov::app
