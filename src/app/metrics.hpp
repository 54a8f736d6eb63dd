#pragma once
// Prometheus metrics (issue 5): chartprov_verifications_total{env,decision,reason}
// and chartprov_verify_duration_seconds{env} (histogram). One in-memory
// registry for `serve` (/metrics), and a node_exporter textfile that each CLI
// run adds its sample to (locked, atomically replaced), so counters keep
// counting across processes.
#include <filesystem>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace chartprov::app {

struct DecisionSample {
  std::string environment;
  std::string decision;  // allow | deny | warn
  std::string reason;    // Decision::reason_code ("" for allow)
  double seconds = 0;
};

// Adds one sample to the textfile (created if missing) and rewrites it
// atomically under an exclusive lock. A file that is not ours is an error.
Status add_to_metrics_textfile(const std::filesystem::path& file, const DecisionSample& sample);

}  // namespace chartprov::app
