#pragma once
// C2SP tlog-tiles entry bundles: the entries of up to 256 consecutive leaves,
// each as a big-endian uint16 length and then its bytes.
#include <cstddef>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

inline constexpr std::size_t kMaxEntrySize = 65535;  // what a uint16 length can say

// Refusal (input error): an entry longer than kMaxEntrySize ("entry bundle: an
// entry of N bytes is over 65535").
Result<Bytes> encode_entry_bundle(const std::vector<Bytes>& entries);

// Refusals (input errors, "entry bundle: ..."): a length or entry cut short
// ("truncated"); more than `max_entries` entries; when `expected` is not 0, a
// count other than it ("N entries where W were expected"). An empty bundle is
// an empty list.
Result<std::vector<Bytes>> parse_entry_bundle(ByteView data, std::size_t expected, std::size_t max_entries = 256);

}  // namespace chartprov::tlog
