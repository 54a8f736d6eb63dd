#pragma once
// The audit trail: one JSON line per sign or decision, appended to a file
// that is hash-chained -- each line carries a sequence number, the SHA-256 of
// the line before it, and last its own hash (over the line up to it) -- so
// that editing, deleting or reordering any line, the last one included, is
// detected by `audit verify`. What the file alone cannot show: lines cut off
// the end, or a tail rewritten by someone who recomputes the hashes (SHA-256
// has no key). Against those the head (the last line's hash) must be known
// elsewhere: `audit verify` prints it, --expect-head checks a recorded one,
// and every event sent to stderr and webhooks carries the head its line made.
//
//   {"seq":7,"time":"2026-11-25T09:00:00Z","prev":"<64 hex>","event":{...},"hash":"<64 hex>"}
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/result.hpp"

namespace chartprov::audit {

inline constexpr std::size_t kMaxLine = 64u << 10;
inline const std::string kGenesis(64, '0');

// Appends one event (exclusive lock, O_APPEND, fsync). Returns the new head.
Result<std::string> append_event(const std::filesystem::path& log, const nlohmann::json& event, std::int64_t now = 0);

struct ChainCheck {
  bool intact = false;
  std::uint64_t lines = 0;
  std::string head;    // hash of the last line (kGenesis for an empty log)
  std::string reason;  // the first break, with its line number
};

// Reads the whole log (bounded lines) and checks every link.
Result<ChainCheck> verify_chain(const std::filesystem::path& log, const std::optional<std::string>& expect_head = {});

}  // namespace chartprov::audit
