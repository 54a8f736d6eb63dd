// libFuzzer target for transparency-log material: checkpoints (signed
// notes) and Rekor entry bodies, plus inclusion proofs built from the input.
// Nothing may crash; a proof of a single-leaf tree verifies only its own leaf.
// fuzz-seeds: *.sigstore.json
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "tlog/checkpoint.hpp"
#include "tlog/merkle.hpp"
#include "tlog/rekor_entry.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView in(data, size);
  static const crypto::PKey key = std::move(crypto::generate_key("ecdsa-p256").value());
  if (auto cp = tlog::parse_checkpoint(as_chars(in)); cp.ok()) (void)tlog::checkpoint_signed_by(*cp, key);
  tlog::ExpectedEntry e;
  e.signature = Bytes(in.begin(), in.end());
  e.sha256_hex = std::string(64, '0');
  e.payload_sha256_hex = std::string(64, '0');
  for (const char* kind : {"hashedrekord", "dsse", "intoto"}) {
    (void)tlog::check_entry_body(in, kind, kind[0] == 'i' ? "0.0.2" : "0.0.1", e);
  }
  const Bytes leaf = tlog::leaf_hash(in);
  std::vector<Bytes> proof;
  for (std::size_t i = 0; i + 32 <= size && proof.size() < 8; i += 32)
    proof.emplace_back(in.begin() + i, in.begin() + i + 32);
  (void)tlog::verify_inclusion(size % 7, 7, leaf, proof, leaf);
  if (!tlog::verify_inclusion(0, 1, leaf, {}, leaf)) std::abort();
  return 0;
}
