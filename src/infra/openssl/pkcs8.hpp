#pragma once
// PKCS#8 private keys as DER, plain or encrypted (PBES2: scrypt + AES-256-CBC),
// with the KDF cost bounded before any work is done on untrusted input.
#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::crypto {

// scrypt cost for keys we write. N = 2^15 would need 32 MiB + 2 KiB, just over
// OpenSSL's default scrypt memory limit, so `openssl pkey` could not read the
// file; N = 2^14 with p = 2 costs the same CPU in 16 MiB.
inline constexpr std::uint64_t kScryptN = 1u << 14;
inline constexpr std::uint64_t kScryptR = 8;
inline constexpr std::uint64_t kScryptP = 2;

// PrivateKeyInfo DER (secret: wiped when the result dies).
Result<SecretBytes> private_key_info_der(const PKey& key);
// EncryptedPrivateKeyInfo DER under passphrase.
Result<Bytes> encrypted_private_key_info_der(const PKey& key, const SecretString& passphrase);

Result<PKey> parse_private_key_info_der(ByteView der);

// Decrypts EncryptedPrivateKeyInfo. A wrong passphrase is reported as the
// error message "wrong passphrase"; scrypt costs above N=2^20, r=32, p=4
// (OpenSSL's 32 MiB memory limit applies too) and PBKDF2 counts above 600000
// are refused unprocessed.
Result<PKey> parse_encrypted_private_key_info_der(ByteView der, const SecretString& passphrase);

}  // namespace chartprov::crypto
