#pragma once
// One shape for a decision wherever it leaves the program: `verify --env
// --json`, the deploy gate's --json, `serve`'s POST /v1/verify answer, and
// the event every decision emits.
#include <nlohmann/json.hpp>

#include "app/decide.hpp"
#include "app/events.hpp"

namespace chartprov::app {

nlohmann::json decision_json(const DecideResult& result);
// The same for a decision made without evidence (the deploy gate refusing a
// chart it cannot verify): `evidence` holds what is known, the chart at least.
nlohmann::json decision_json(const policy::Evidence& evidence, const policy::Decision& decision);

// The event for a decision (time: now; duration: the verification latency).
Event decision_event(const DecideResult& result, double duration_seconds);

// The same for a decision that could not be reached (input error): a deny.
Event failed_decision_event(const std::string& chart, const std::string& environment, const Error& error,
                            double duration_seconds);

}  // namespace chartprov::app
