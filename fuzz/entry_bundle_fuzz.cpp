// libFuzzer target for C2SP entry bundles (what a monitor reads from a log):
// parsing never crashes, keeps to its entry limit, and what parses encodes
// back to the same bytes.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "tlog/entry_bundle.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  auto entries = tlog::parse_entry_bundle(input, 0);
  if (!entries.ok()) return 0;
  fuzz::check(entries->size() <= 256);
  auto again = tlog::encode_entry_bundle(*entries);
  fuzz::check(again.ok() && *again == Bytes(input.begin(), input.end()));
  return 0;
}
