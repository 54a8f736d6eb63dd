#pragma once
// verify --env/--policy: every envelope found, judged against the trust
// material, then the environment's policy; prints the decision with every
// reason. Exit 0 when the decision does not block (allow, or a deny in warn
// or off mode), 1 when it blocks, 2 when no decision could be reached.
#include <string>

#include "app/decide.hpp"
#include "app/events.hpp"
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
};

// The environment: --env, else CHARTPROV_ENV; empty is a usage error.
Result<std::string> resolve_environment(const std::string& flag);

// The event of the decision is returned through `event` for the sinks.
int run_verify_decision(const DecisionVerifyOptions& options, app::Event& event);

// Human output of a decision (stdout for allow, stderr for deny/warn).
void print_decision(const app::DecideResult& result);

}  // namespace chartprov::cli
