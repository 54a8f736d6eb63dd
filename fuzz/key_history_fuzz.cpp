// libFuzzer target for keys.json. Invariants: whatever parses serialises and
// parses back to the same text (no field is lost or reinterpreted), and the
// window checks never crash on any accepted record.
// fuzz-seeds: keys*.json
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "keys/key_history.hpp"
#include "util/bytes.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto history = keys::parse_key_history(as_chars(ByteView(data, size)));
  if (!history.ok()) return 0;
  const std::string text = keys::serialize_key_history(*history);
  auto again = keys::parse_key_history(text);
  if (!again.ok() || keys::serialize_key_history(*again) != text) std::abort();
  for (const auto& k : history->keys) {
    (void)keys::check_key_at(k, 1795590000, 1795590000);
    (void)keys::check_chart_allowed(k, "web-frontend");
  }
  return 0;
}
