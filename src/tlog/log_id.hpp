#pragma once
// The id a Sigstore trusted root and bundles give a tile (Rekor v2 style)
// log: SHA-256(origin || 0x0A || 0x01 || 32-byte Ed25519 key), its C2SP
// note key id in full (the first 4 bytes are note_key_id(key, origin)).
#include <string_view>

#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

// Refusal (input error): a key that is not Ed25519 ("a log key is Ed25519").
Result<Bytes> tile_log_id(const crypto::PKey& log_key, std::string_view origin);

}  // namespace chartprov::tlog
