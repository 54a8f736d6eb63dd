// libFuzzer target for transparency-log checkpoints (C2SP signed notes):
// parsing never crashes, what parses has a 32-byte root and at least one
// signature line, and no signature by a fresh key can verify.
// fuzz-seeds: *.sigstore.json
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "tlog/checkpoint.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const crypto::PKey ec = std::move(crypto::generate_key("ecdsa-p256").value());
  static const crypto::PKey ed = std::move(crypto::generate_key("ed25519").value());
  auto cp = tlog::parse_checkpoint(as_chars(ByteView(data, size)));
  if (!cp.ok()) return 0;
  if (cp->root_hash.size() != 32 || cp->signatures.empty()) std::abort();
  if (tlog::checkpoint_signed_by(*cp, ec) || tlog::checkpoint_signed_by(*cp, ed)) std::abort();
  return 0;
}
