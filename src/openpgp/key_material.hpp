#pragma once
// The algorithm-specific fields of a v4 key packet, as views into its body
// (key.hpp: key_material, the fields of a parsed PublicKey).
#include <cstddef>
#include <vector>

#include "openpgp/byte_reader.hpp"
#include "openpgp/pubkey_algo.hpp"
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
// Refused: fields that are truncated or malformed (an MPI, a curve OID, the
// ECDH KDF parameters).
Result<KeyMaterial> read_key_material(PubKeyAlgo algo, ByteReader& in);

}  // namespace chartprov::openpgp
