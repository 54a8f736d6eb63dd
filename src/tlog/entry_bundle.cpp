#include "tlog/entry_bundle.hpp"

#include <string>

namespace chartprov::tlog {

Result<Bytes> encode_entry_bundle(const std::vector<Bytes>& entries) {
  Bytes out;
  for (const auto& e : entries) {
    if (e.size() > kMaxEntrySize) {
      return input_error("entry bundle: an entry of " + std::to_string(e.size()) + " bytes is over 65535");
    }
    out.push_back(static_cast<std::uint8_t>(e.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(e.size() & 0xFF));
    out.insert(out.end(), e.begin(), e.end());
  }
  return out;
}

Result<std::vector<Bytes>> parse_entry_bundle(ByteView data, std::size_t expected, std::size_t max_entries) {
  std::vector<Bytes> out;
  std::size_t at = 0;
  while (at < data.size()) {
    if (out.size() >= max_entries) {
      return input_error("entry bundle: more than " + std::to_string(max_entries) + " entries");
    }
    if (data.size() - at < 2) return input_error("entry bundle: truncated");
    const std::size_t len = (std::size_t{data[at]} << 8) | data[at + 1];
    at += 2;
    if (data.size() - at < len) return input_error("entry bundle: truncated");
    out.emplace_back(data.begin() + static_cast<std::ptrdiff_t>(at),
                     data.begin() + static_cast<std::ptrdiff_t>(at + len));
    at += len;
  }
  if (expected != 0 && out.size() != expected) {
    return input_error("entry bundle: " + std::to_string(out.size()) + " entries where " + std::to_string(expected) +
                       " were expected");
  }
  return out;
}

}  // namespace chartprov::tlog
