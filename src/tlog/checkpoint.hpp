#pragma once
// Transparency-log checkpoints (C2SP signed notes), as Rekor writes them in
// an inclusion proof: "<origin>\n<size>\n<base64 root>\n[extra lines]\n\n"
// then signature lines "\u2014 <name> <base64(4-byte key id || signature)>\n".
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

inline constexpr std::size_t kMaxCheckpoint = 64u << 10;

struct Checkpoint {
  std::string body;  // the signed text, final newline included
  std::string origin;
  std::uint64_t size = 0;
  Bytes root_hash;
  struct Signature {
    std::string name;
    Bytes key_hint;  // 4 bytes
    Bytes signature;
  };
  std::vector<Signature> signatures;
};

Result<Checkpoint> parse_checkpoint(std::string_view envelope);

// Whether some signature line is by `log_key` (ECDSA: key hint = first 4
// bytes of SHA-256(SPKI); Ed25519: SHA-256(name || 0x0A || 0x01 || key)[:4]).
bool checkpoint_signed_by(const Checkpoint& cp, const crypto::PKey& log_key);

}  // namespace chartprov::tlog
