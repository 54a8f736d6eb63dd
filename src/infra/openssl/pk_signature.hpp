#pragma once
// Public-key signatures over digests that the caller has already computed:
// what OpenPGP (which hashes its own trailer) and the other envelopes need.
// Verification answers true/false; "invalid" is not an error.
#include "infra/openssl/digest.hpp"
#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::crypto {

// RSASSA-PKCS1-v1_5: the signature block is DigestInfo(alg) || digest. The
// signature may be shorter than the modulus (leading zeros dropped).
// MD5 and RIPEMD-160 are refused (false / error).
bool verify_rsa_pkcs1(const PKey& key, DigestAlg alg, ByteView digest, ByteView signature);
Result<Bytes> sign_rsa_pkcs1(const PKey& key, DigestAlg alg, ByteView digest);  // modulus-sized

// DSA and ECDSA over a digest (truncated to the group order by OpenSSL, as
// both OpenPGP and FIPS 186 want). r and s are unsigned big-endian integers.
struct DsaSignature {
  Bytes r;
  Bytes s;
};
bool verify_dsa_or_ecdsa(const PKey& key, ByteView digest, ByteView r, ByteView s);
Result<DsaSignature> sign_dsa_or_ecdsa(const PKey& key, ByteView digest);

// Pure EdDSA (Ed25519 / Ed448, empty context) over a message.
bool verify_eddsa(const PKey& key, ByteView message, ByteView signature);
Result<Bytes> sign_eddsa(const PKey& key, ByteView message);

// DER SEQUENCE { INTEGER r, INTEGER s } and back (strict DER).
Bytes encode_dsa_signature_der(ByteView r, ByteView s);
Result<DsaSignature> decode_dsa_signature_der(ByteView der);

// The digest a key signs with when nothing else is said (cosign's table, and
// every chartprov signer's): P-256 SHA-256, P-384 SHA-384, P-521 SHA-512,
// RSA SHA-256. Ed25519 signs messages, not digests: an error.
Result<DigestAlg> default_digest(const PKey& key);

// A signature over a digest in the encoding cosign, Sigstore and the signer
// protocols carry: RSA the PKCS#1 v1.5 block, ECDSA DER SEQUENCE {r, s}
// (strict DER, high-S accepted). Other key types: error / false.
Result<Bytes> sign_digest_encoded(const PKey& key, DigestAlg alg, ByteView digest);
bool verify_digest_encoded(const PKey& key, DigestAlg alg, ByteView digest, ByteView signature);

}  // namespace chartprov::crypto
