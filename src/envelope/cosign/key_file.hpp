#pragma once
// cosign's key files (tests/data/cosign/FORMAT.md B and A):
//   cosign.key: PEM "ENCRYPTED SIGSTORE PRIVATE KEY" (also read: the older
//     "ENCRYPTED COSIGN PRIVATE KEY") around JSON {kdf: scrypt, cipher:
//     nacl/secretbox, ciphertext} whose plaintext is a PKCS#8 private key;
//   cosign.pub: PEM "PUBLIC KEY" (PKIX) or "RSA PUBLIC KEY" (PKCS#1).
// chartprov adds one JSON field cosign ignores, "chartprov_openpgp_created",
// so the same key has a stable OpenPGP fingerprint (key export --openpgp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "infra/openssl/pkey.hpp"
#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::cosign {

inline constexpr std::string_view kPrivateLabel = "ENCRYPTED SIGSTORE PRIVATE KEY";
inline constexpr std::string_view kLegacyPrivateLabel = "ENCRYPTED COSIGN PRIVATE KEY";
inline constexpr std::size_t kMaxKeyFile = 64u << 10;

struct CosignPrivateKey {
  crypto::PKey key;
  std::optional<std::uint32_t> openpgp_created;
};

// Whether text holds a cosign private key (by its PEM label), without decrypting.
bool looks_like_cosign_private_key(std::string_view text);

// Errors: other labels, scrypt parameters other than cosign's three,
// unknown kdf/cipher, bad nonce, "decryption failed" (wrong password or
// tampered), a plaintext that is not PKCS#8, an unsupported key type.
Result<CosignPrivateKey> read_cosign_private_key(std::string_view text, const SecretString& password);

// A new cosign.key (fresh salt and nonce, N = 65536, r = 8, p = 1).
Result<std::string> write_cosign_private_key(const crypto::PKey& key, const SecretString& password,
                                             std::optional<std::uint32_t> openpgp_created);

Result<crypto::PKey> read_cosign_public_key(std::string_view text);
Result<std::string> write_cosign_public_key(const crypto::PKey& key);

// RSA 2048-4096, ECDSA P-256/384/521, Ed25519: what cosign accepts.
Status check_supported_key(const crypto::PKey& key);

}  // namespace chartprov::cosign
