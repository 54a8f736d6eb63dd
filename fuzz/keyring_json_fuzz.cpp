// The keyring cache entry / helper answer parser: cache files are on disk,
// so their parser must be as careful as any other input's. Whatever it
// accepts must hold the invariants the verifier relies on.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/verify/keyring_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto ring =
      chartprov::app::parse_keyring_json(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!ring.ok()) return 0;
  for (const auto& k : ring->keys) {
    // A primary is its own primary, a subkey is not; fingerprints are v4;
    // expiry is a unix time from a u32 creation plus a u32 lifetime.
    if (k.is_subkey == (k.primary_fingerprint == k.key.fingerprint)) __builtin_trap();
    if (k.key.fingerprint.size() != 20 || k.primary_fingerprint.size() != 20) __builtin_trap();
    if (k.expires_at < 0 || k.expires_at > 0x1ffffffffLL) __builtin_trap();
  }
  return 0;
}
