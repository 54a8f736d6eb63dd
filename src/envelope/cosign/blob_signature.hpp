#pragma once
// The cosign-blob envelope (tests/data/cosign/FORMAT.md A): a signature over
// the raw bytes of the chart with the key's default algorithm, stored as
// base64 in CHART.tgz.sig, exactly as `cosign sign-blob --key` writes it.
#include <string>

#include "infra/openssl/digest.hpp"
#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::cosign {

inline constexpr std::size_t kMaxSignatureFile = 64u << 10;

// P-256 -> SHA-256, P-384 -> SHA-384, P-521 -> SHA-512, RSA -> SHA-256
// (PKCS#1 v1.5); Ed25519 signs the message itself (no digest: error).
Result<crypto::DigestAlg> blob_digest_alg(const crypto::PKey& key);

// As cosign reads a .sig: standard base64 (line breaks anywhere are skipped),
// otherwise the file's bytes are the raw signature.
Bytes decode_signature_file(ByteView file);
// What we write: base64, no trailing newline.
std::string encode_signature_file(ByteView signature);

// ECDSA as DER SEQUENCE {r, s}; RSA the modulus-sized block; Ed25519 64 bytes.
Result<Bytes> sign_blob(const crypto::PKey& private_key, ByteView data);
// Strict DER for ECDSA (no trailing bytes, minimal integers); high-S accepted
// as in Go. false, not an error, when the signature does not verify.
bool verify_blob(const crypto::PKey& public_key, ByteView data, ByteView signature);
// The same for a digest already computed with blob_digest_alg (not Ed25519).
bool verify_blob_digest(const crypto::PKey& public_key, ByteView digest, ByteView signature);

}  // namespace chartprov::cosign
