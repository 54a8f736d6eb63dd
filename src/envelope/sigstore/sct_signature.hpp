#pragma once
// The signature of an SCT (RFC 6962 3.2), checked with the CT log's key from a
// Sigstore trusted root: ECDSA (DER r, s) or RSASSA-PKCS1-v1_5, over SHA-256.
#include "envelope/sigstore/sct.hpp"
#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"

namespace chartprov::sigstore {

inline constexpr std::uint8_t kSctHashSha256 = 4;  // TLS HashAlgorithm
inline constexpr std::uint8_t kSctSigRsa = 1;      // TLS SignatureAlgorithm
inline constexpr std::uint8_t kSctSigEcdsa = 3;

// Whether `sct`'s signature verifies over `signed_data` (sct_signed_data) with
// `log_key`. False, never an error, for: a hash other than SHA-256; a
// signature algorithm other than the key's (RSA key: rsa; EC key: ecdsa); any
// other key type; a signature that does not verify.
bool verify_sct(const Sct& sct, ByteView signed_data, const crypto::PKey& log_key);

}  // namespace chartprov::sigstore
