#pragma once
// Signing with an unencrypted v4 secret key or secret subkey packet (RFC
// 9580 §5.5.3, S2K usage 0), e.g. what RNP exports after unlocking a GnuPG
// key. Encrypted packets must be unlocked by whoever has the passphrase.
#include <memory>

#include "openpgp/signer.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::openpgp {

// body: the packet body (tag 5 or 7, without header). Supports RSA (d, p, q,
// u), DSA (x), ECDSA (d), EdDSA legacy (seed) and Ed25519/Ed448 (native).
// The two-octet checksum is checked, and the private key must match the
// public key in the same packet. Encrypted keys, GnuPG stubs, ECDH/Elgamal
// keys and trailing bytes are input errors.
Result<std::unique_ptr<DigestSigner>> signer_from_secret_key_packet(ByteView body);

}  // namespace chartprov::openpgp
