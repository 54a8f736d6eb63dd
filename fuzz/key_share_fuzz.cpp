// libFuzzer target for armored key shares. Invariant: a share that decodes
// encodes to text that decodes to the same fields (the checksum covers them all).
// fuzz-seeds: *.share
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "keys/key_share.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto share = keys::decode_key_share(as_chars(ByteView(data, size)));
  if (!share.ok()) return 0;
  auto again = keys::decode_key_share(keys::encode_key_share(*share));
  if (!again.ok() || again->share.y.bytes() != share->share.y.bytes() || again->key_id != share->key_id ||
      again->threshold != share->threshold || again->total != share->total || again->share.x != share->share.x) {
    std::abort();
  }
  return 0;
}
