// libFuzzer target for the verifier's trust state (trust/trust_state.hpp,
// issue 14): the strict parser. Invariants: whatever parses serializes to a
// document that parses to the same pins; a pin always compares as the same
// with itself.
// fuzz-seeds: trust-state.json
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "trust/trust_state.hpp"
#include "util/bytes.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = as_chars(ByteView(data, size));
  auto state = trust::parse_trust_state(text);
  if (!state.ok()) return 0;
  auto again = trust::parse_trust_state(trust::serialize_trust_state(*state));
  if (!again.ok() || again->roots.size() != state->roots.size()) std::abort();
  for (std::size_t i = 0; i < state->roots.size(); ++i) {
    const auto& a = state->roots[i];
    const auto& b = again->roots[i];
    if (a.trust_dir != b.trust_dir || a.version != b.version || a.digest != b.digest) std::abort();
    if (trust::check_pin(&a, a.version, a.digest) != trust::PinCheck::same) std::abort();
  }
  return 0;
}
