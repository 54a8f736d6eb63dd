#pragma once
// OpenPGP v4 public keys (RFC 4880 / RFC 9580 §5.5): the key packet body,
// its fingerprint, and what is needed to check a signature with it.
#include <cstdint>
#include <string>

#include "openpgp/key_material.hpp"
#include "openpgp/pubkey_algo.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::openpgp {

struct PublicKey {
  std::uint8_t version = 4;
  std::uint32_t created = 0;  // unix time, from the packet
  PubKeyAlgo algo = PubKeyAlgo::kRsa;
  Bytes body;                // the whole packet body (what the fingerprint hashes)
  Bytes fingerprint;         // 20 bytes for v4
  std::uint64_t key_id = 0;  // low 64 bits of the v4 fingerprint
  std::string curve;         // OpenSSL group name for EC/EdDSA keys: "prime256v1",
                             // "secp384r1", "secp521r1", "brainpoolP256r1", ...,
                             // "secp256k1", "ED25519"; empty otherwise
  unsigned bits = 0;         // RSA/DSA modulus bits; EC: field size in bits
};

// Parses a v4 public-key or public-subkey packet body (also the public part at
// the start of a secret-key packet body: trailing bytes are then ignored when
// allow_trailing is set). Unknown algorithms and curves parse (so a keyring
// with one exotic key still loads) but get an empty curve / bits 0.
Result<PublicKey> parse_public_key(ByteView body, bool allow_trailing = false);

// The algorithm-specific fields of an already parsed key (key.body is parsed
// again: cheap), as views into key.body. Refused: a body too short for a v4
// key, and what read_key_material refuses.
Result<KeyMaterial> key_material(const PublicKey& key);

// "RSA-3072", "ECDSA-P256", "EdDSA-Ed25519", "DSA-2048", "ECDSA-brainpoolP256r1", ...
std::string algorithm_label(const PublicKey& key);

std::string key_id_hex(std::uint64_t key_id);  // 16 upper-case hex digits

}  // namespace chartprov::openpgp
