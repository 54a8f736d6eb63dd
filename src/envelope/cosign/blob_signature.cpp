#include "envelope/cosign/blob_signature.hpp"

#include "envelope/cosign/go_base64.hpp"
#include "infra/openssl/pk_signature.hpp"
#include "util/encoding.hpp"

namespace chartprov::cosign {

Result<crypto::DigestAlg> blob_digest_alg(const crypto::PKey& key) { return crypto::default_digest(key); }

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
  return crypto::sign_digest_encoded(key, alg, digest.finish());
}

bool verify_blob_digest(const crypto::PKey& key, ByteView digest, ByteView signature) {
  const auto alg = blob_digest_alg(key);
  return alg.ok() && crypto::verify_digest_encoded(key, *alg, digest, signature);
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
