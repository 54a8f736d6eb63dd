#pragma once
// What a v4 signature packet holds: its fields, and what a verifier needs
// from its subpackets, decoded. Its own header because the packet parser
// (signature.hpp: parse_signatures) and the subpacket decoder
// (subpackets.hpp: decode_subpackets) both fill it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "openpgp/hash_algo.hpp"  // HashAlgo: what hash_algo below holds
#include "util/bytes.hpp"

namespace chartprov::openpgp {

// A notation (subpacket 20) from the hashed area.
struct Notation {
  std::string name;
  Bytes value;
  bool human_readable = false;
};

struct Signature {
  std::uint8_t version = 4;
  std::uint8_t type = 0;  // 0x00 binary, 0x01 canonical text, ...
  std::uint8_t pubkey_algo = 0;
  std::uint8_t hash_algo = 0;
  Bytes hashed_area;  // raw hashed subpacket area (without its length)
  Bytes unhashed_area;
  std::uint8_t hash_prefix[2] = {0, 0};
  Bytes signature_data;  // the algorithm-specific MPIs, raw
  Bytes packet;          // the whole packet including its header

  // Decoded from the subpackets:
  std::optional<std::uint32_t> created;        // hashed area only
  std::optional<std::uint32_t> expires_after;  // signature expiration (seconds after created)
  std::optional<std::uint64_t> issuer_key_id;  // hashed or unhashed
  Bytes issuer_fingerprint;                    // hashed or unhashed; v4: 20 bytes
  bool has_unknown_critical = false;           // a critical subpacket we do not understand
  // Hashed area only; what certifications (self-signatures) carry:
  std::optional<std::uint32_t> key_expires_after;  // key expiration (seconds after key creation)
  std::optional<std::uint8_t> key_flags;           // first octet of the key flags
  std::vector<Notation> notations;                 // non-critical ones (critical ones are unknown)
};

}  // namespace chartprov::openpgp
