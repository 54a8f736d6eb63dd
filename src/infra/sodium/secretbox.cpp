#include "infra/sodium/secretbox.hpp"

#include <sodium.h>

namespace chartprov::sodium {
namespace {

Status ready(ByteView nonce, ByteView key) {
  static const int init = sodium_init();  // once; thread-safe, idempotent
  if (init < 0) return internal_error("libsodium failed to initialise");
  if (nonce.size() != crypto_secretbox_NONCEBYTES) return input_error("the nonce must be 24 bytes");
  if (key.size() != crypto_secretbox_KEYBYTES) return internal_error("the secretbox key must be 32 bytes");
  return ok_status();
}

}  // namespace

Result<SecretBytes> secretbox_open(ByteView sealed, ByteView nonce, ByteView key) {
  TRY_STATUS(ready(nonce, key));
  if (sealed.size() < crypto_secretbox_MACBYTES) return input_error("decryption failed (ciphertext too short)");
  SecretBytes out{Bytes(sealed.size() - crypto_secretbox_MACBYTES)};
  if (crypto_secretbox_open_easy(out.mutable_bytes().data(), sealed.data(), sealed.size(), nonce.data(), key.data()) !=
      0) {
    return input_error("decryption failed");
  }
  return out;
}

Result<Bytes> secretbox_seal(ByteView plaintext, ByteView nonce, ByteView key) {
  TRY_STATUS(ready(nonce, key));
  Bytes out(plaintext.size() + crypto_secretbox_MACBYTES);
  if (crypto_secretbox_easy(out.data(), plaintext.data(), plaintext.size(), nonce.data(), key.data()) != 0) {
    return internal_error("secretbox encryption failed");
  }
  return out;
}

}  // namespace chartprov::sodium
