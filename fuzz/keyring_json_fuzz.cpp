// The keyring cache entry / helper answer parser: cache files are on disk,
// so their parser must be as careful as any other input's.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/keyring_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)chartprov::app::parse_keyring_json(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  return 0;
}
