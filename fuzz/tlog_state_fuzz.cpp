// libFuzzer target for the verifier's checkpoint state (app/verify/tlog_state.hpp,
// `--tlog-state FILE`): the file that lets a verifier refuse a split view.
// Invariants: what parses writes text that parses to the same state, and
// writes the same again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "app/verify/tlog_state.hpp"
#include "util/bytes.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = as_chars(ByteView(data, size));
  auto state = app::parse_tlog_state(text);
  if (!state.ok()) return 0;
  const std::string written = app::write_tlog_state(*state);
  auto again = app::parse_tlog_state(written);
  if (!again.ok() || again->size() != state->size()) std::abort();
  for (const auto& [origin, saved] : *state) {
    const auto it = again->find(origin);
    if (it == again->end() || it->second.size != saved.size || it->second.root != saved.root ||
        it->second.checkpoint != saved.checkpoint) {
      std::abort();
    }
  }
  if (app::write_tlog_state(*again) != written) std::abort();
  return 0;
}
