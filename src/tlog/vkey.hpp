#pragma once
// C2SP signed-note verifier keys ("vkeys"), the one-line form in which logs
// and witnesses publish their public keys:
//
//   <name>+<hex key id, 8 digits>+<base64(type byte || 32-byte Ed25519 key)>
//
// type 0x01: a log's (note) key; 0x04: a witness's cosignature key. The key id
// is SHA-256(name || 0x0A || type || key)[:4] (note_key_id, cosignature_key_id).
#include <cstdint>
#include <string>
#include <string_view>

#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

inline constexpr std::uint8_t kNoteKeyType = 0x01;
inline constexpr std::uint8_t kCosignatureKeyType = 0x04;

struct VerifierKey {
  std::string name;
  std::uint8_t type = kNoteKeyType;
  crypto::PKey key;  // Ed25519 public key
  Bytes key_id;      // 4 bytes
};

// Refusals (input errors, "vkey: ..."): no two '+' to end the name and the
// key id (the base64 may hold more); a name
// is_note_name() refuses; a key id that is not 8 hex digits; key material
// that is not base64 of 33 bytes; a type other than 0x01 and 0x04; a key id
// that is not the one the name, type and key give ("the key id does not match
// the key").
Result<VerifierKey> parse_vkey(std::string_view text);

// The vkey of an Ed25519 key (private or public) under `name`. Refusals: as
// make_note_key's for the name and key type.
Result<std::string> format_vkey(std::string_view name, std::uint8_t type, const crypto::PKey& key);

}  // namespace chartprov::tlog
