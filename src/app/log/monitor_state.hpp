#pragma once
// What a log monitor remembers between rounds and restarts: the last tree it
// checked (origin, size, root), the compact range of that tree (enough to
// hash new entries onto it and prove the next tree extends it), and the
// signed checkpoint note that vouched for it (the evidence, should the log
// later sign another tree of that size):
//
//   {"version": 1, "origin": "log.example.com", "size": 1234,
//    "root": "<base64>", "compact_range": ["<base64>", ...],
//    "checkpoint": "<the signed note>"}
//
// A state file is written atomically (temporary file and rename, 0600) and
// read strictly: a damaged one is an error, never a fresh start, since
// starting over would accept any tree the log shows next.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "tlog/compact_range.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::app::log {

inline constexpr std::size_t kMaxMonitorState = 1u << 20;
inline constexpr int kMonitorStateVersion = 1;

struct MonitorState {
  std::string origin;
  tlog::CompactRange range;  // of the tree of range.size() leaves, whose root is range.root()
  std::string checkpoint;    // the signed note of that tree
};

// The JSON above, members in that order, ending in a newline.
std::string serialize_monitor_state(const MonitorState& state);

// Refusals (input errors, "monitor state: ..."): over kMaxMonitorState; not a
// JSON object; an unknown or missing member, or one of the wrong type; a
// version other than kMonitorStateVersion; base64 that does not decode; a
// compact range that tlog::CompactRange::from refuses; a root that is not the
// compact range's ("the root is not the compact range's"); a checkpoint that
// does not parse, or names another origin, size or root than the state
// ("the checkpoint does not match the state").
Result<MonitorState> parse_monitor_state(std::string_view text);

// No file: nullopt (a first round). Refusals: an unreadable file (util/file.hpp),
// and parse_monitor_state's, with the path in front.
Result<std::optional<MonitorState>> load_monitor_state(const std::filesystem::path& file);

// Writes the state atomically, mode 0600. Refusal: the write's, with the path.
Status save_monitor_state(const std::filesystem::path& file, const MonitorState& state);

}  // namespace chartprov::app::log
