#include "envelope/cosign/blob_signature.hpp"

#include "envelope/cosign/go_base64.hpp"
#include "infra/openssl/pk_signature.hpp"
#include "util/encoding.hpp"

namespace chartprov::cosign {

Result<crypto::DigestAlg> blob_digest_alg(const crypto::PKey& key) {
  switch (crypto::key_type(key)) {
    case crypto::KeyType::kRsa: return crypto::DigestAlg::kSha256;
    case crypto::KeyType::kEc: {
      TRY(const std::string group, crypto::ec_group_name(key));
      if (group == "prime256v1") return crypto::DigestAlg::kSha256;
      if (group == "secp384r1") return crypto::DigestAlg::kSha384;
      if (group == "secp521r1") return crypto::DigestAlg::kSha512;
      return input_error("unsupported curve " + group);
    }
    case crypto::KeyType::kEd25519: return usage_error("Ed25519 signs the message, not a digest");
    default: return input_error("unsupported key type");
  }
}

Bytes decode_signature_file(ByteView file) {
  // cosign: if the bytes decode as standard base64 they are the signature,
  // otherwise the file itself is (raw DER).
  if (auto decoded = go_std_base64_decode(file); decoded && !decoded->empty()) return std::move(*decoded);
  return Bytes(file.begin(), file.end());
}

std::string encode_signature_file(ByteView signature) { return base64_encode(signature); }

Result<Bytes> sign_blob(const crypto::PKey& key, ByteView data) {
  if (crypto::key_type(key) == crypto::KeyType::kEd25519) return crypto::sign_eddsa(key, data);
  TRY(const crypto::DigestAlg alg, blob_digest_alg(key));
  TRY(auto digest, crypto::Digest::create(alg));
  digest.update(data);
  const Bytes d = digest.finish();
  if (crypto::key_type(key) == crypto::KeyType::kRsa) return crypto::sign_rsa_pkcs1(key, alg, d);
  TRY(const auto rs, crypto::sign_dsa_or_ecdsa(key, d));
  return crypto::encode_dsa_signature_der(rs.r, rs.s);
}

bool verify_blob_digest(const crypto::PKey& key, ByteView digest, ByteView signature) {
  const auto alg = blob_digest_alg(key);
  if (!alg.ok() || digest.size() != crypto::digest_size(*alg)) return false;
  if (crypto::key_type(key) == crypto::KeyType::kRsa) return crypto::verify_rsa_pkcs1(key, *alg, digest, signature);
  if (crypto::key_type(key) != crypto::KeyType::kEc) return false;
  const auto rs = crypto::decode_dsa_signature_der(signature);
  return rs.ok() && crypto::verify_dsa_or_ecdsa(key, digest, rs->r, rs->s);
}

bool verify_blob(const crypto::PKey& key, ByteView data, ByteView signature) {
  if (crypto::key_type(key) == crypto::KeyType::kEd25519) return crypto::verify_eddsa(key, data, signature);
  const auto alg = blob_digest_alg(key);
  if (!alg.ok()) return false;
  auto digest = crypto::Digest::create(*alg);
  if (!digest.ok()) return false;
  digest->update(data);
  return verify_blob_digest(key, digest->finish(), signature);
}

}  // namespace chartprov::cosign
