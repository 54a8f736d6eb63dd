#include "envelope/sigstore/sct_signature.hpp"

#include "infra/openssl/digest.hpp"
#include "infra/openssl/pk_signature.hpp"

namespace chartprov::sigstore {

bool verify_sct(const Sct& sct, ByteView signed_data, const crypto::PKey& log_key) {
  if (!log_key || sct.hash_alg != kSctHashSha256) return false;
  const crypto::KeyType type = crypto::key_type(log_key);
  const bool matches = (type == crypto::KeyType::kRsa && sct.sig_alg == kSctSigRsa) ||
                       (type == crypto::KeyType::kEc && sct.sig_alg == kSctSigEcdsa);
  if (!matches) return false;
  return crypto::verify_digest_encoded(log_key, crypto::DigestAlg::kSha256, crypto::sha256(signed_data), sct.signature);
}

}  // namespace chartprov::sigstore
