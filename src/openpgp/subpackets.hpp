#pragma once
// Signature subpackets (RFC 9580 §5.2.3.7): reading an area, decoding the
// ones a verifier needs into a Signature, and writing them.
#include <cstdint>
#include <vector>

#include "openpgp/signature_fields.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::openpgp {

namespace subpacket {
inline constexpr std::uint8_t kCreationTime = 2;
inline constexpr std::uint8_t kSignatureExpiration = 3;
inline constexpr std::uint8_t kKeyExpiration = 9;
inline constexpr std::uint8_t kPreferredSymmetric = 11;
inline constexpr std::uint8_t kIssuerKeyId = 16;
inline constexpr std::uint8_t kNotation = 20;
inline constexpr std::uint8_t kPreferredHash = 21;
inline constexpr std::uint8_t kPreferredCompression = 22;
inline constexpr std::uint8_t kKeyServerPreferences = 23;
inline constexpr std::uint8_t kPrimaryUserId = 25;
inline constexpr std::uint8_t kKeyFlags = 27;
inline constexpr std::uint8_t kFeatures = 30;
inline constexpr std::uint8_t kIssuerFingerprint = 33;
}  // namespace subpacket

struct Subpacket {
  std::uint8_t type = 0;  // without the critical bit
  bool critical = false;
  ByteView body;
};

// Splits a subpacket area; a length running past the area is an error.
Result<std::vector<Subpacket>> read_subpackets(ByteView area);

// Decodes one area into sig (creation time and expirations only from the
// hashed area, issuer from either). Malformed known subpackets and
// conflicting duplicates are errors; critical subpackets that are not
// understood set sig.has_unknown_critical.
Status decode_subpackets(ByteView area, bool hashed, Signature& sig);

void append_subpacket(Bytes& out, std::uint8_t type, ByteView body, bool critical = false);

}  // namespace chartprov::openpgp
