#pragma once
// `chartprov log serve`'s Prometheus metrics (GET /metrics; exposition format
// 0.0.4), so that a log whose store, clock or witnesses fail is noticed by
// its operator before its writers complain:
//
//   chartprov_log_submissions_total{result}          counter; logged, duplicate, refused, failed
//   chartprov_log_batches_total{result}              counter; committed, failed (rolled back)
//   chartprov_log_witness_failures_total{witness}    counter; checkpoints a witness did not cosign,
//                                                    by its vkey name
//   chartprov_log_tree_size                          gauge; entries in the published tree
//
// Counters start at zero with the process. Witness label values come from
// `--witness` (the operator's), not from requests.
#include <cstdint>
#include <map>
#include <string>

namespace chartprov::app::log {

struct LogMetrics {
  std::uint64_t logged = 0;     // submissions answered 201
  std::uint64_t duplicate = 0;  // 200: the entry was logged before
  std::uint64_t refused = 0;    // 400, 413: malformed, a signature that does not verify (bodies over
                                // the HTTP server's limit are refused before the log sees them)
  std::uint64_t failed = 0;     // 503: the sequencer or the store failed
  std::uint64_t batches_committed = 0;
  std::uint64_t batches_failed = 0;
  std::map<std::string, std::uint64_t> witness_failures;  // by witness name
  std::uint64_t tree_size = 0;
};

std::string render_log_metrics(const LogMetrics& m);

}  // namespace chartprov::app::log
