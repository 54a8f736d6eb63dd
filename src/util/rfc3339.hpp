#pragma once
// RFC 3339 times ("2026-11-25T07:00:00Z", fractions and offsets accepted on
// input) <-> unix seconds, without the C library's time zone state.
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace chartprov {

Result<std::int64_t> parse_rfc3339(std::string_view text);
std::string format_rfc3339(std::int64_t unix_time);  // UTC, "Z", whole seconds

}  // namespace chartprov
