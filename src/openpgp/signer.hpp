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

// Encodings of sign_digest's answer, for DigestSigner implementations.
Bytes rsa_signature_fields(ByteView s);                           // one MPI
Bytes dsa_signature_fields(ByteView r, ByteView s);               // DSA / ECDSA: two MPIs
Result<Bytes> eddsa_legacy_signature_fields(ByteView signature);  // 64-octet R || S -> two MPIs

struct SignOptions {
  std::uint8_t type = 0x01;  // canonical text, as cleartext signatures use
  HashAlgo hash = HashAlgo::kSha512;
  std::uint32_t created = 0;  // signature creation time (unix); 0 = now
};

// Builds a complete v4 signature packet (new-format header) over data, with
// hashed subpackets: creation time, issuer fingerprint, issuer key id.
// The result is verified against signer.public_key() before it is returned
// (a signer that answers with garbage or with another key is an error).
// MD5, RIPEMD-160 and SHA-1 are refused.
Result<Bytes> make_signature_packet(const DigestSigner& signer, const SignOptions& options, ByteView data);

// The general form: a v4 signature of the given type whose hashed area is
// hashed_area as given (it must hold a creation time), over data already in
// the form the type hashes (e.g. key and user ID for a certification).
// Verified before it is returned, like make_signature_packet.
Result<Bytes> make_signature_packet_with_area(const DigestSigner& signer, std::uint8_t type, HashAlgo hash,
                                              ByteView hashed_area, ByteView data);

}  // namespace chartprov::openpgp
