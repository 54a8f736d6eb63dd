#pragma once
// The verifier's checkpoint state (`verify --tlog-state FILE`, or
// CHARTPROV_TLOG_STATE): the last checkpoint this verifier saw of each
// transparency log, by origin, so that a log that shows this verifier one
// tree and someone else another (a split view) is caught. A checkpoint of a
// larger tree must be proven consistent with the saved one by a consistency
// proof computed from the log's tiles (tlog::tile_nodes over GETs of
// BASEURL/tile/...); one of the same size must have the same root; one of a
// smaller tree must be proven a prefix of the saved one. The state then
// keeps the larger checkpoint.
//
// The file (JSON, written atomically, 0644: checkpoints are public; read and rewritten under an
// exclusive lock on FILE.lock, so concurrent decisions cannot set it back):
//   {"version":1,"logs":{"<origin>":{"size":"N","root":"<b64>","checkpoint":"<note>"}}}
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "policy/evidence.hpp"
#include "tlog/tile_path.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::app {

inline constexpr std::size_t kMaxTlogState = 4u << 20;
inline constexpr std::size_t kMaxTlogStateLogs = 1024;

struct SavedCheckpoint {
  std::uint64_t size = 0;
  Bytes root;
  std::string checkpoint;
};
using TlogState = std::map<std::string, SavedCheckpoint>;  // by log origin

// Refusals (input errors, "tlog state: ..."): larger than kMaxTlogState; not
// a JSON object; a version other than 1; logs not an object, more than
// kMaxTlogStateLogs; a log without a decimal size, a root of 32 bytes of
// base64, or a checkpoint string.
Result<TlogState> parse_tlog_state(std::string_view text);
std::string write_tlog_state(const TlogState& state);

// One hash tile of the log at base_url (BASEURL/tile/L/N[.p/W]).
using TileGetter = std::function<Result<Bytes>(const std::string& base_url, const tlog::TileId& tile)>;
// Over HTTP (app/helpers/http_client): a partial tile the log no longer
// serves is read from its full tile, cut to its width.
TileGetter http_tile_getter();

struct StateCheck {
  std::vector<std::string> problems;  // each denies the chart
  bool split_view = false;            // one of them is a split view (an alert)
};

// Checks each entry's checkpoint (already verified as the log's) against the
// state and moves the state forward. Problems: "split view: log ORIGIN
// showed a checkpoint of N leaves (root R) that is not consistent with the
// one of M leaves (root R2) this verifier saw before" (split_view); "tlog
// state: cannot prove the checkpoint of log ORIGIN consistent: " + the
// tiles' error (the log unreachable: fail closed); a checkpoint that does
// not parse.
StateCheck check_checkpoints(TlogState& state, const std::vector<policy::LogInclusion>& entries, const TileGetter& get);

// The state file named by CHARTPROV_TLOG_STATE ("" when unset).
std::filesystem::path tlog_state_path();

// With a state file named: loads it (missing: empty), checks the verified
// log entries of the evidence's good envelopes, adds the problems to
// evidence.problems, saves the state when no split view was found. Returns
// whether a split view was found. Refusals (input errors): the file unreadable
// or corrupt (parse_tlog_state's, with the path), the state not writable.
Result<StateCheck> apply_tlog_state(policy::Evidence& evidence, const TileGetter& get);

}  // namespace chartprov::app
