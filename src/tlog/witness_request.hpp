#pragma once
// The body of a C2SP tlog-witness add-checkpoint request: the size the log
// believes the witness last cosigned, a consistency proof from it, an empty
// line, then the signed checkpoint.
//
//   old 20852014\n
//   <base64 hash>\n          (0..63 lines)
//   \n
//   <checkpoint note>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

inline constexpr std::size_t kMaxProofLines = 63;
inline constexpr std::size_t kMaxAddCheckpoint = 80u << 10;

struct AddCheckpoint {
  std::uint64_t old_size = 0;
  std::vector<Bytes> proof;
  std::string checkpoint;  // the note, as sent (parse_checkpoint reads it)
};

// Refusal: a proof of more than kMaxProofLines hashes, or a hash not 32 bytes.
Result<std::string> format_add_checkpoint(const AddCheckpoint& request);

// Refusals (input errors, "add-checkpoint: ..."): over kMaxAddCheckpoint; a
// first line other than "old " and a decimal size without leading zeros; more
// than kMaxProofLines proof lines; a proof line that is not base64 of 32
// bytes; no empty line after the proof; an empty checkpoint.
Result<AddCheckpoint> parse_add_checkpoint(std::string_view body);

}  // namespace chartprov::tlog
