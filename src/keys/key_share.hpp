#pragma once
// One Shamir share of a private key, as `chartprov key backup` writes it: a
// self-describing binary record (which key, which split, which share of how
// many, the key's OpenPGP identity) with a SHA-256 checksum, armored as text
// so it can be printed and typed back:
//
//   -----BEGIN CHARTPROV KEY SHARE-----
//   Share: 2 of 5, any 3 rebuild the key
//   Key-Id: <hex SHA-256 of the public key's SPKI DER>
//
//   <base64 of the record, 64 columns>
//   -----END CHARTPROV KEY SHARE-----
//
// The header lines are for people; only the checksummed record is trusted.
#include <cstdint>
#include <string>

#include "keys/shamir.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::keys {

inline constexpr std::size_t kMaxShareText = 64u << 10;
inline constexpr std::size_t kMaxSharedSecret = 16u << 10;  // a PKCS#8 RSA-4096 key is ~2.4 KiB

struct KeyShare {
  std::uint8_t threshold = 0;
  std::uint8_t total = 0;
  Bytes split_id;  // 16 random bytes shared by the shares of one backup
  Bytes key_id;    // 32 bytes: SHA-256(SPKI DER) of the key
  std::uint32_t openpgp_created = 0;
  std::string user_id;
  ShamirShare share;
};

std::string encode_key_share(const KeyShare& share);

// Strict: armor lines, base64, checksum, field ranges (1 <= k <= n, index <= n).
Result<KeyShare> decode_key_share(std::string_view text);

}  // namespace chartprov::keys
