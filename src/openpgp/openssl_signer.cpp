#include "openpgp/openssl_signer.hpp"

#include <algorithm>

#include "infra/openssl/pk_signature.hpp"
#include "openpgp/hash_algo.hpp"
#include "openpgp/openssl_key.hpp"

namespace chartprov::openpgp {

Result<std::unique_ptr<OpenSslSigner>> OpenSslSigner::create(crypto::PKey key, std::uint32_t created,
                                                             bool ed25519_native) {
  if (!crypto::has_private_key(key)) return input_error("not a private key");
  TRY(PublicKey pub, openpgp_public_key(key, created, ed25519_native));
  return std::unique_ptr<OpenSslSigner>(new OpenSslSigner(std::move(key), std::move(pub)));
}

Result<std::unique_ptr<OpenSslSigner>> OpenSslSigner::with_public_key(crypto::PKey key, PublicKey public_key) {
  if (!crypto::has_private_key(key)) return input_error("not a private key");
  const bool native = public_key.algo == PubKeyAlgo::kEd25519;
  TRY(PublicKey derived, openpgp_public_key(key, public_key.created, native));
  // Same algorithm and material, hence the same fingerprint (RSA algorithm 3
  // is the sign-only spelling of 1; compare the key material).
  const bool same = derived.fingerprint == public_key.fingerprint ||
                    (public_key.algo == PubKeyAlgo::kRsaSignOnly && derived.body.size() == public_key.body.size() &&
                     std::equal(derived.body.begin() + 6, derived.body.end(), public_key.body.begin() + 6));
  if (!same) return input_error("private key does not belong to OpenPGP key " + key_id_hex(public_key.key_id));
  return std::unique_ptr<OpenSslSigner>(new OpenSslSigner(std::move(key), std::move(public_key)));
}

Result<Bytes> OpenSslSigner::sign_digest(HashAlgo hash, ByteView digest) const {
  const auto alg = digest_alg(static_cast<std::uint8_t>(hash));
  if (!alg || digest.size() != crypto::digest_size(*alg))
    return internal_error("digest does not match its hash algorithm");
  switch (public_key_.algo) {
    case PubKeyAlgo::kRsa:
    case PubKeyAlgo::kRsaSignOnly: {
      TRY(Bytes s, crypto::sign_rsa_pkcs1(key_, *alg, digest));
      return rsa_signature_fields(s);
    }
    case PubKeyAlgo::kDsa:
    case PubKeyAlgo::kEcdsa: {
      TRY(crypto::DsaSignature rs, crypto::sign_dsa_or_ecdsa(key_, digest));
      return dsa_signature_fields(rs.r, rs.s);
    }
    case PubKeyAlgo::kEddsaLegacy: {
      // OpenPGP's EdDSA signs the digest itself as the message.
      TRY(Bytes sig, crypto::sign_eddsa(key_, digest));
      return eddsa_legacy_signature_fields(sig);
    }
    case PubKeyAlgo::kEd25519:
    case PubKeyAlgo::kEd448: return crypto::sign_eddsa(key_, digest);
    case PubKeyAlgo::kEcdh: break;
  }
  return internal_error("key cannot sign: " + algorithm_label(public_key_));
}

}  // namespace chartprov::openpgp
