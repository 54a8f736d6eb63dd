#pragma once
// The one wall clock. Every time a decision, a signature, an event or a key history is made at
// comes from here, so that a test (or a caller's --now) that fixes the time fixes it everywhere.
#include <cstdint>

namespace chartprov {

// Seconds since the Unix epoch, now.
std::int64_t unix_now();

// `given` when a caller fixed the time (any value but 0), else unix_now(). Requests carry
// `now = 0` for "the current time".
inline std::int64_t now_or(std::int64_t given) { return given != 0 ? given : unix_now(); }

}  // namespace chartprov
