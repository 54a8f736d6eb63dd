// Armor: dearmor must never crash; armor() then dearmor() gives the input
// bytes back; and whatever dearmor accepts, re-armored under its label,
// dearmors to the same label and bytes.
// fuzz-seeds: *.asc *.prov
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "openpgp/armor.hpp"

namespace pgp = chartprov::openpgp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parsed = pgp::dearmor(std::string_view(reinterpret_cast<const char*>(data), size));
  if (parsed.ok()) {
    const auto again = pgp::dearmor(pgp::armor(parsed->data, parsed->label));
    if (!again.ok() || again->data != parsed->data || again->label != parsed->label) std::abort();
  }
  if (size == 0) return 0;
  const chartprov::ByteView bytes(data, size);
  const auto back = pgp::dearmor(pgp::armor(bytes, "SIGNATURE"));
  if (!back.ok() || back->data != chartprov::Bytes(bytes.begin(), bytes.end()) || back->label != "SIGNATURE") {
    std::abort();
  }
  return 0;
}
