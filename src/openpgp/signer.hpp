#pragma once
// Making OpenPGP signatures around a signer that only signs digests, so the
// private key can live in a file, an HSM or behind a KMS bridge.
#include <cstdint>

#include "openpgp/key.hpp"
#include "openpgp/signature.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::openpgp {

class DigestSigner {
 public:
  virtual ~DigestSigner() = default;
  // The OpenPGP public key of the signing key (v4, with its creation time).
  virtual const PublicKey& public_key() const = 0;
  // Signs a digest made with `hash` and returns the algorithm-specific
  // signature fields encoded as OpenPGP MPIs (RSA: m^d; DSA/ECDSA/EdDSA: r, s).
  virtual Result<Bytes> sign_digest(HashAlgo hash, ByteView digest) const = 0;
};

struct SignOptions {
  std::uint8_t type = 0x01;         // canonical text, as cleartext signatures use
  HashAlgo hash = HashAlgo::kSha512;
  std::uint32_t created = 0;        // signature creation time (unix)
};

// Builds a complete v4 signature packet (new-format header) over data, with
// hashed subpackets: creation time, issuer fingerprint, issuer key id.
Result<Bytes> make_signature_packet(const DigestSigner& signer, const SignOptions& options, ByteView data);

}  // namespace chartprov::openpgp
