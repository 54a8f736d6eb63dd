#include "signer/signer.hpp"

#include "infra/openssl/pk_signature.hpp"

namespace chartprov::signer {

Result<crypto::DigestAlg> default_digest(const crypto::PKey& key) {
  switch (crypto::key_type(key)) {
    case crypto::KeyType::kRsa: return crypto::DigestAlg::kSha256;
    case crypto::KeyType::kEc: {
      TRY(const std::string group, crypto::ec_group_name(key));
      if (group == "prime256v1" || group == "P-256") return crypto::DigestAlg::kSha256;
      if (group == "secp384r1" || group == "P-384") return crypto::DigestAlg::kSha384;
      if (group == "secp521r1" || group == "P-521") return crypto::DigestAlg::kSha512;
      return input_error("unsupported elliptic curve " + group);
    }
    default: return input_error("this key type signs messages, not digests");
  }
}

Result<Bytes> Signer::sign_message(ByteView message) const {
  TRY(const crypto::DigestAlg alg, default_digest(public_key()));
  TRY(auto digest, crypto::Digest::create(alg));
  digest.update(message);
  return sign_digest(alg, digest.finish());
}

bool signature_matches(const crypto::PKey& key, crypto::DigestAlg alg, ByteView digest, ByteView signature) {
  switch (crypto::key_type(key)) {
    case crypto::KeyType::kRsa: return crypto::verify_rsa_pkcs1(key, alg, digest, signature);
    case crypto::KeyType::kEc: {
      auto rs = crypto::decode_dsa_signature_der(signature);
      return rs.ok() && crypto::verify_dsa_or_ecdsa(key, digest, rs->r, rs->s);
    }
    default: return false;
  }
}

namespace {

class KeySigner final : public Signer {
 public:
  KeySigner(crypto::PKey key, std::string description) : key_(std::move(key)), description_(std::move(description)) {}
  const crypto::PKey& public_key() const override { return key_; }
  std::string describe() const override { return description_; }

  Result<Bytes> sign_digest(crypto::DigestAlg alg, ByteView digest) const override {
    if (digest.size() != crypto::digest_size(alg)) return internal_error("digest length does not match its algorithm");
    switch (crypto::key_type(key_)) {
      case crypto::KeyType::kRsa: return crypto::sign_rsa_pkcs1(key_, alg, digest);
      case crypto::KeyType::kEc: {
        TRY(const auto rs, crypto::sign_dsa_or_ecdsa(key_, digest));
        return crypto::encode_dsa_signature_der(rs.r, rs.s);
      }
      default: return usage_error("an Ed25519 key signs messages, not digests");
    }
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
