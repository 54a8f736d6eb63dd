#pragma once
// Byte buffers and views used across layers.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace chartprov {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }
inline std::string_view as_chars(ByteView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }
inline Bytes to_bytes(std::string_view s) { return {s.begin(), s.end()}; }

}  // namespace chartprov
