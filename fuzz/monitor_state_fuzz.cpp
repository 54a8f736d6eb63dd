// libFuzzer target for the log monitor's state file (app/log/monitor_state.hpp):
// a damaged state must be an error, never a fresh start. Invariants: what
// parses serializes to text that parses to the same origin, tree and
// checkpoint, and serializes the same again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "app/log/monitor_state.hpp"
#include "util/bytes.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = as_chars(ByteView(data, size));
  auto state = app::log::parse_monitor_state(text);
  if (!state.ok()) return 0;
  const std::string written = app::log::serialize_monitor_state(*state);
  auto again = app::log::parse_monitor_state(written);
  if (!again.ok()) std::abort();
  if (again->origin != state->origin || again->checkpoint != state->checkpoint ||
      again->range.size() != state->range.size() || again->range.root() != state->range.root()) {
    std::abort();
  }
  if (app::log::serialize_monitor_state(*again) != written) std::abort();
  return 0;
}
