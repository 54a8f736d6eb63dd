#pragma once
// verify --env/--policy: every envelope found, judged against the trust
// material, then the environment's policy; prints the decision with every
// reason. Exit 0 when the decision does not block (allow, or a deny in warn
// or off mode), 1 when it blocks, 2 when no decision could be reached.
#include <string>

#include "app/events/events.hpp"
#include "app/verify/decide.hpp"
#include "cli/oci_commands.hpp"

namespace chartprov::cli {

struct DecisionVerifyOptions {
  std::string chart;
  std::string environment;
  std::string policy;  // empty: the built-in default
  app::TrustSource trust;
  RegistryOptions registry;
  std::string output;  // oci://: save the chart when the decision does not block
  bool json = false;
  bool no_environment = false;  // policy::no_environment_policy() instead of an environment's
  app::EventSinks sinks;        // the decision is recorded here (app/events/decision_report.hpp)
};

// The environment: --env, else CHARTPROV_ENV; empty is a usage error.
Result<std::string> resolve_environment(const std::string& flag);

// Decides, records the decision (an allow that cannot be recorded is a deny,
// exit 2) and prints it (app::decision_text; --json: app::decision_json).
int run_verify_decision(const DecisionVerifyOptions& options);

// No decision can be reached (a usage or input error): recorded as a deny
// with the error as its reason, reported, exit 2.
int refuse_decision(const DecisionVerifyOptions& options, const Error& error);

}  // namespace chartprov::cli
