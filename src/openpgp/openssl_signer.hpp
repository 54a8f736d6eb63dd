#pragma once
// A DigestSigner over a private key held by OpenSSL (a key file, a key
// unlocked from a GnuPG keyring): owns the EVP_PKEY and its OpenPGP identity.
#include <cstdint>
#include <memory>

#include "infra/openssl/pkey.hpp"
#include "openpgp/signer.hpp"

namespace chartprov::openpgp {

class OpenSslSigner final : public DigestSigner {
 public:
  // The OpenPGP key is derived from the private key and its creation time
  // (see openpgp_public_key: Ed25519 becomes EdDSA legacy unless native).
  static Result<std::unique_ptr<OpenSslSigner>> create(crypto::PKey key, std::uint32_t created,
                                                       bool ed25519_native = false);
  // For a key whose OpenPGP form is already known (a secret key packet):
  // the private key must belong to `public_key`.
  static Result<std::unique_ptr<OpenSslSigner>> with_public_key(crypto::PKey key, PublicKey public_key);

  const PublicKey& public_key() const override { return public_key_; }
  Result<Bytes> sign_digest(HashAlgo hash, ByteView digest) const override;
  const crypto::PKey& pkey() const { return key_; }

 private:
  OpenSslSigner(crypto::PKey key, PublicKey public_key) : key_(std::move(key)), public_key_(std::move(public_key)) {}
  crypto::PKey key_;
  PublicKey public_key_;
};

}  // namespace chartprov::openpgp
