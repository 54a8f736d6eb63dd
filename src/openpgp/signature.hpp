#pragma once
// OpenPGP v4 signature packets: parsing, the hashed trailer, and checking
// one against a public key with OpenSSL.
#include <cstdint>
#include <string>
#include <vector>

#include "infra/openssl/pkey.hpp"
#include "openpgp/key.hpp"
#include "openpgp/signature_fields.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::openpgp {

// Parses a sequence of packets that must all be v4 (or v3) signature packets,
// as found in the armored part of a cleartext signature. Any other packet,
// a truncated packet or trailing garbage is an error.
Result<std::vector<Signature>> parse_signatures(ByteView packets);

// What a v4 signature hashes after the signed data: version, type,
// algorithms, the hashed subpacket area with its length, then 0x04 0xFF and
// the length of that prefix as four octets.
Bytes v4_hash_trailer(std::uint8_t type, std::uint8_t pubkey_algo, std::uint8_t hash_algo, ByteView hashed_area);

// Outcome of checking one signature; invalid is a value, not an error.
struct SignatureCheck {
  bool valid = false;
  std::string reason;  // why not valid, e.g. "RSA verification failure"
};

// Hashes data as the signature type requires (for 0x00 and 0x01 the bytes as
// given; canonicalising text is the caller's job), appends the v4 trailer,
// compares the 2-byte prefix and verifies with the key. Unsupported hash or
// public-key algorithms give valid=false with a reason.
// prebuilt: `key` already as an OpenSSL key (see KeyringKey::openssl_key); null: built here.
SignatureCheck verify_signature(const Signature& sig, const PublicKey& key, ByteView data,
                                const crypto::PKey* prebuilt = nullptr);

}  // namespace chartprov::openpgp
