#include "infra/openssl/random.hpp"

#include <openssl/rand.h>

#include <climits>

namespace chartprov::crypto {

Status random_fill(std::span<std::uint8_t> out) {
  // RAND_bytes takes an int; callers ask for small amounts, but never truncate.
  std::size_t done = 0;
  while (done < out.size()) {
    const std::size_t chunk = std::min<std::size_t>(out.size() - done, INT_MAX);
    if (RAND_bytes(out.data() + done, static_cast<int>(chunk)) != 1) {
      return internal_error("the random number generator failed");
    }
    done += chunk;
  }
  return ok_status();
}

}  // namespace chartprov::crypto
