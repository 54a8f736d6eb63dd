#include "util/byte_size.hpp"

namespace chartprov {

std::string byte_size_text(std::uint64_t n) {
  constexpr std::uint64_t kKiB = 1u << 10;
  constexpr std::uint64_t kMiB = 1u << 20;
  if (n != 0 && n % kMiB == 0) return std::to_string(n / kMiB) + " MiB";
  if (n != 0 && n % kKiB == 0) return std::to_string(n / kKiB) + " KiB";
  return std::to_string(n) + " bytes";
}

}  // namespace chartprov
