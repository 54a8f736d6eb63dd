#pragma once
// NaCl secretbox (XSalsa20-Poly1305) through libsodium: what cosign's
// encrypted key files use (OpenSSL has no XSalsa20). Layout as Go's
// secretbox.Seal and libsodium's *_easy: 16-byte tag, then the ciphertext.
#include "util/bytes.hpp"
#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::sodium {

inline constexpr std::size_t kSecretboxKeySize = 32;
inline constexpr std::size_t kSecretboxNonceSize = 24;
inline constexpr std::size_t kSecretboxTagSize = 16;

// Errors: wrong sizes; "decryption failed" when the tag does not verify
// (a wrong password and a tampered file look the same, as in cosign).
Result<SecretBytes> secretbox_open(ByteView sealed, ByteView nonce, ByteView key);
Result<Bytes> secretbox_seal(ByteView plaintext, ByteView nonce, ByteView key);

}  // namespace chartprov::sodium
