#include "signer/signer.hpp"

#include "infra/openssl/pk_signature.hpp"

namespace chartprov::signer {

Result<Bytes> Signer::sign_message(ByteView message) const {
  TRY(const crypto::DigestAlg alg, crypto::default_digest(public_key()));
  TRY(auto digest, crypto::Digest::create(alg));
  digest.update(message);
  return sign_digest(alg, digest.finish());
}

bool signature_matches(const crypto::PKey& key, crypto::DigestAlg alg, ByteView digest, ByteView signature) {
  return crypto::verify_digest_encoded(key, alg, digest, signature);
}

namespace {

class KeySigner final : public Signer {
 public:
  KeySigner(crypto::PKey key, std::string description) : key_(std::move(key)), description_(std::move(description)) {}
  const crypto::PKey& public_key() const override { return key_; }
  std::string describe() const override { return description_; }

  Result<Bytes> sign_digest(crypto::DigestAlg alg, ByteView digest) const override {
    return crypto::sign_digest_encoded(key_, alg, digest);
  }

  Result<Bytes> sign_message(ByteView message) const override {
    if (crypto::key_type(key_) == crypto::KeyType::kEd25519) return crypto::sign_eddsa(key_, message);
    return Signer::sign_message(message);
  }

 private:
  crypto::PKey key_;
  std::string description_;
};

}  // namespace

std::unique_ptr<Signer> make_key_signer(crypto::PKey private_key, std::string description) {
  return std::make_unique<KeySigner>(std::move(private_key), std::move(description));
}

}  // namespace chartprov::signer
