#include "app/helpers/openpgp_bridge.hpp"

#include "infra/openssl/pk_signature.hpp"
#include "openpgp/hash_algo.hpp"
#include "openpgp/openssl_key.hpp"

namespace chartprov::app {
namespace {

class BridgeSigner final : public openpgp::DigestSigner {
 public:
  BridgeSigner(const signer::Signer& s, openpgp::PublicKey key) : signer_(s), key_(std::move(key)) {}
  const openpgp::PublicKey& public_key() const override { return key_; }

  Result<Bytes> sign_digest(openpgp::HashAlgo hash, ByteView digest) const override {
    if (crypto::key_type(signer_.public_key()) == crypto::KeyType::kEd25519) {
      // OpenPGP v4 EdDSA signs the digest as its message.
      TRY(const Bytes signature, signer_.sign_message(digest));
      return openpgp::eddsa_legacy_signature_fields(signature);
    }
    const auto alg = openpgp::digest_alg(static_cast<std::uint8_t>(hash));
    if (!alg) return usage_error("unsupported OpenPGP hash");
    TRY(const Bytes signature, signer_.sign_digest(*alg, digest));
    if (crypto::key_type(signer_.public_key()) == crypto::KeyType::kRsa) {
      return openpgp::rsa_signature_fields(signature);
    }
    TRY(const auto rs, crypto::decode_dsa_signature_der(signature));
    return openpgp::dsa_signature_fields(rs.r, rs.s);
  }

 private:
  const signer::Signer& signer_;
  openpgp::PublicKey key_;
};

}  // namespace

Result<std::unique_ptr<openpgp::DigestSigner>> openpgp_signer_for(const signer::Signer& s, std::uint32_t created) {
  const auto type = crypto::key_type(s.public_key());
  if (type != crypto::KeyType::kEc && type != crypto::KeyType::kRsa && type != crypto::KeyType::kEd25519) {
    return usage_error("OpenPGP signing through " + s.describe() + " needs an ECDSA, RSA or Ed25519 key");
  }
  if (created == 0) return usage_error("the key's OpenPGP creation time is not known (give --created)");
  TRY(openpgp::PublicKey key, openpgp::openpgp_public_key(s.public_key(), created));
  return std::unique_ptr<openpgp::DigestSigner>(std::make_unique<BridgeSigner>(s, std::move(key)));
}

}  // namespace chartprov::app
