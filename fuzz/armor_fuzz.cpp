// Armor: dearmor must never crash, and armor() then dearmor() must give the
// input bytes back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "openpgp/armor.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)chartprov::openpgp::dearmor(std::string_view(reinterpret_cast<const char*>(data), size));
  if (size == 0) return 0;
  const chartprov::ByteView bytes(data, size);
  const auto back = chartprov::openpgp::dearmor(chartprov::openpgp::armor(bytes, "SIGNATURE"));
  if (!back.ok() || back->data != chartprov::Bytes(bytes.begin(), bytes.end())) std::abort();
  return 0;
}
