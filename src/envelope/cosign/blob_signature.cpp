#include "envelope/cosign/blob_signature.hpp"

#include <optional>

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

namespace {

int b64_value(std::uint8_t c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Go's base64.StdEncoding.DecodeString, byte for byte: CR and LF are skipped
// anywhere, any other stray byte or bad padding is an error, and unused bits
// of the last quantum are ignored (Go is not Strict() there; util's decoder is).
std::optional<Bytes> go_std_base64(ByteView in) {
  Bytes out;
  std::uint32_t acc = 0;
  int n = 0;    // sextets in the current quantum
  int pad = 0;  // '=' seen
  for (const std::uint8_t c : in) {
    if (c == '\r' || c == '\n') continue;
    if (c == '=') {
      if (n < 2 || n + pad >= 4) return std::nullopt;
      ++pad;
      continue;
    }
    if (pad > 0) return std::nullopt;  // data after padding
    const int v = b64_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    if (++n == 4) {
      out.push_back(static_cast<std::uint8_t>(acc >> 16));
      out.push_back(static_cast<std::uint8_t>(acc >> 8));
      out.push_back(static_cast<std::uint8_t>(acc));
      acc = 0;
      n = 0;
    }
  }
  if (n == 0) return pad == 0 ? std::optional<Bytes>(std::move(out)) : std::nullopt;
  if (n + pad != 4) return std::nullopt;  // padding is required
  acc <<= 6 * (4 - n);
  out.push_back(static_cast<std::uint8_t>(acc >> 16));
  if (n == 3) out.push_back(static_cast<std::uint8_t>(acc >> 8));
  return out;
}

}  // namespace

Bytes decode_signature_file(ByteView file) {
  // cosign: if the bytes decode as standard base64 they are the signature,
  // otherwise the file itself is (raw DER).
  if (auto decoded = go_std_base64(file); decoded && !decoded->empty()) return std::move(*decoded);
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
