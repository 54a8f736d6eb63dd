#pragma once
// The audit trail: one JSON line per sign or decision, appended to a file
// that is hash-chained -- each line carries a sequence number, the SHA-256 of
// the line before it, and last its own hash (over the line up to it) -- so
// that editing, deleting or reordering any line but the last is detected by
// `audit verify`. The last line's own hash catches an edit that did not
// recompute it, nothing more: SHA-256 has no key, so whoever can write the
// file can change the last line (deny -> allow) and seal it again, cut lines
// off the end, or rewrite a tail with its hashes, and the file alone still
// looks intact (issue 14). Against those the head (a line's hash and its
// sequence number) must be recorded elsewhere: `audit head` prints it,
// `audit verify --head` requires the chain to contain it, --expect-head to end
// at it, and every event sent to stderr and webhooks carries the head its line
// made.
//
//   {"seq":7,"time":"2026-11-25T09:00:00Z","prev":"<64 hex>","event":{...},"hash":"<64 hex>"}
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace chartprov::audit {

inline constexpr std::size_t kMaxLine = 64u << 10;
inline const std::string kGenesis(64, '0');

// Appends one event (exclusive lock, O_APPEND, fsync). Returns the new head.
Result<std::string> append_event(const std::filesystem::path& log, const nlohmann::json& event, std::int64_t now = 0);

struct ChainCheck {
  bool intact = false;
  std::uint64_t lines = 0;
  std::string head;               // hash of the last line (kGenesis for an empty log)
  std::string reason;             // the first break, with its line number
  std::uint64_t anchor_line = 0;  // with an anchor: the line whose hash it is (0: the genesis)
};

// A head recorded outside the log: its sequence number (the line it is the
// hash of; 0 for the empty log's genesis) and hash, written "SEQ:HASH" as
// `audit head` prints it.
struct HeadAnchor {
  std::optional<std::uint64_t> seq;  // unset when only a bare HASH was recorded
  std::string hash;                  // 64 lower-case hex
};

// "SEQ:HASH" or "HASH". Refused (usage errors): a hash that is not 64 hex
// digits, a sequence number that is not a decimal number.
[[nodiscard]] Result<HeadAnchor> parse_head_anchor(std::string_view text);
std::string format_head_anchor(std::uint64_t seq, std::string_view hash);

// Reads the whole log (bounded lines) and checks every link. Not intact, with
// the reason: any break of the chain; a head other than `expect_head` (the log
// must end there); an `anchor` whose hash is not the hash of a line of the
// chain (or not of line SEQ, when it names one): the log must contain it.
[[nodiscard]] Result<ChainCheck> verify_chain(const std::filesystem::path& log,
                                              const std::optional<std::string>& expect_head = {},
                                              const std::optional<HeadAnchor>& anchor = {});

}  // namespace chartprov::audit
