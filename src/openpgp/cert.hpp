#pragma once
// A transferable public key (certificate) for a signing key, so GnuPG, sq,
// RNP and Helm can import it: public key, user ID, positive self-certification.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "openpgp/key.hpp"
#include "openpgp/packet.hpp"
#include "openpgp/signer.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::openpgp {

// Binary certificate (no armor). created: time of the self-signature (not
// before the key's creation). expires_after: key lifetime in seconds after
// the key's creation time, none = never. The self-signature (type 0x13,
// SHA-512) carries key flags certify+sign, hash and cipher preferences,
// features (SEIPD v1), issuer fingerprint and key ID, and the expiration.
Result<Bytes> build_certificate(const DigestSigner& signer, std::string_view user_id, std::uint32_t created,
                                std::optional<std::uint32_t> expires_after);

// What a certification over key + user ID hashes (RFC 9580 §5.2.4):
// 0x99 || len16 || key body || 0xB4 || len32 || user ID.
Bytes certification_data(const PublicKey& key, std::string_view user_id);

// The first transferable public key of a packet sequence (a certificate or a
// keyring) whose first packet is a primary key (tag 6): that key, the bytes of
// its packets up to the next primary key, and whether another one follows.
struct LeadingCertificate {
  PublicKey primary;
  ByteView bytes;  // a view into the packets' input
  bool more = false;
};
Result<LeadingCertificate> leading_certificate(const std::vector<Packet>& packets);

}  // namespace chartprov::openpgp
