#pragma once
// The algorithm-specific fields of a v4 key packet, as views into its body.
#include <cstddef>
#include <vector>

#include "openpgp/byte_reader.hpp"
#include "openpgp/key.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::openpgp {

struct KeyMaterial {
  std::vector<ByteView> mpis;  // RSA: n, e; DSA: p, q, g, y; Elgamal: p, g, y; EC algorithms: the point
  ByteView oid;                // ECDSA, ECDH, EdDSA legacy
  ByteView kdf;                // ECDH KDF parameters
  ByteView native;             // X25519, X448, Ed25519, Ed448: the raw public key
  bool known = true;           // false: unknown algorithm, nothing parsed
};

// Reads the fields for algo from in (positioned after version, time and
// algorithm). For an unknown algorithm nothing is consumed and known=false.
Result<KeyMaterial> read_key_material(PubKeyAlgo algo, ByteReader& in);

// The fields of an already parsed key (key.body is parsed again: cheap).
Result<KeyMaterial> key_material(const PublicKey& key);

}  // namespace chartprov::openpgp
