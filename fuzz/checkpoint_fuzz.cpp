// libFuzzer target for transparency-log checkpoints (C2SP signed notes):
// parsing never crashes; what parses has an origin, a 32-byte root, between
// one and kMaxCheckpointSignatures signature lines with 4-byte key ids and
// names without spaces or '+'; the signer name is a prefix of the origin; and
// no signature by a fresh key can verify, under any name.
// fuzz-seeds: *.sigstore.json
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "tlog/checkpoint.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const crypto::PKey ec = std::move(crypto::generate_key("ecdsa-p256").value());
  static const crypto::PKey ed = std::move(crypto::generate_key("ed25519").value());
  auto cp = tlog::parse_checkpoint(as_chars(ByteView(data, size)));
  if (!cp.ok()) return 0;
  fuzz::check(!cp->origin.empty() && cp->root_hash.size() == 32);
  fuzz::check(!cp->signatures.empty() && cp->signatures.size() <= tlog::kMaxCheckpointSignatures);
  for (const auto& s : cp->signatures) {
    fuzz::check(s.key_hint.size() == 4 && !s.signature.empty() && !s.name.empty());
    fuzz::check(s.name.find_first_of(" +") == std::string::npos);
  }
  const std::string_view name = tlog::signer_name_of(cp->origin);
  fuzz::check(!name.empty() && cp->origin.compare(0, name.size(), name) == 0);
  for (const crypto::PKey* key : {&ec, &ed}) {
    fuzz::check(!tlog::checkpoint_signed_by(*cp, *key));
    fuzz::check(!tlog::checkpoint_signed_by(*cp, *key, cp->origin));
    fuzz::check(!tlog::checkpoint_signed_by(*cp, *key, cp->signatures[0].name));
  }
  return 0;
}
