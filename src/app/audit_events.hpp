#pragma once
// Audit events (issue 5): one record per decision, with what a reviewer
// needs to reconstruct it (time, environment, chart, version, digest, the
// signers that counted, the decision and every reason, host, tool version).
#include <filesystem>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace chartprov::app {

struct DecisionEvent {
  std::string chart;  // file name or oci:// reference
  std::string name, version, digest;
  std::string environment;
  std::vector<std::string> signers;  // key ids / fingerprints that counted
  bool allowed = false;
  std::vector<std::string> reasons;
};

// Appends the decision to the hash-chained log (audit/audit_log.hpp).
Status record_decision(const std::filesystem::path& log, const DecisionEvent& event);

}  // namespace chartprov::app
