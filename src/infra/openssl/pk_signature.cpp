// RSA_public_decrypt and ECDSA_do_verify are deprecated in OpenSSL 3, and
// still what its provider runs: keys made by rsa_public_key/ec_public_key are
// verified with them directly, without the per-call provider fetch.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "infra/openssl/pk_signature.hpp"

#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <array>

#include "infra/openssl/ossl_error.hpp"
#include "infra/openssl/ossl_handles.hpp"

namespace chartprov::crypto {
namespace {

// DER DigestInfo prefixes (RFC 8017 §9.2 note 1), followed by the digest.
constexpr std::array<std::uint8_t, 15> kSha1Info = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                                    0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
// SHA-2 / SHA-3: 30 len 30 0d 06 09 2.16.840.1.101.3.4.2.<n> 05 00 04 <digest len>
constexpr std::array<std::uint8_t, 19> nist_info(std::uint8_t total, std::uint8_t n, std::uint8_t size) {
  return {0x30, total, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
          0x65, 0x03,  0x04, 0x02, n,    0x05, 0x00, 0x04, size};
}
constexpr auto kSha224Info = nist_info(0x2d, 0x04, 28);
constexpr auto kSha256Info = nist_info(0x31, 0x01, 32);
constexpr auto kSha384Info = nist_info(0x41, 0x02, 48);
constexpr auto kSha512Info = nist_info(0x51, 0x03, 64);
constexpr auto kSha3_256Info = nist_info(0x31, 0x08, 32);
constexpr auto kSha3_512Info = nist_info(0x51, 0x0a, 64);

ByteView digest_info(DigestAlg alg) {
  switch (alg) {
    case DigestAlg::kSha1: return kSha1Info;
    case DigestAlg::kSha224: return kSha224Info;
    case DigestAlg::kSha256: return kSha256Info;
    case DigestAlg::kSha384: return kSha384Info;
    case DigestAlg::kSha512: return kSha512Info;
    case DigestAlg::kSha3_256: return kSha3_256Info;
    case DigestAlg::kSha3_512: return kSha3_512Info;
    case DigestAlg::kMd5:
    case DigestAlg::kRipemd160: break;
  }
  return {};
}

// DigestInfo || digest, or empty if the algorithm is refused or the digest
// has the wrong size.
Bytes pkcs1_block(DigestAlg alg, ByteView digest) {
  const ByteView info = digest_info(alg);
  if (info.empty() || digest.size() != digest_size(alg)) return {};
  Bytes block(info.begin(), info.end());
  block.insert(block.end(), digest.begin(), digest.end());
  return block;
}

detail::PkeyCtx pkey_ctx(const PKey& key) {
  return detail::PkeyCtx(key ? EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr) : nullptr);
}

ByteView strip_zeros(ByteView v) {
  std::size_t i = 0;
  while (i < v.size() && v[i] == 0) ++i;
  return v.subspan(i);
}

void append_der_length(Bytes& out, std::size_t len) {
  if (len < 0x80) {
    out.push_back(static_cast<std::uint8_t>(len));
  } else if (len <= 0xff) {
    out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(len));
  } else {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(len >> 8));
    out.push_back(static_cast<std::uint8_t>(len & 0xff));
  }
}

void append_der_integer(Bytes& out, ByteView value) {
  const ByteView v = strip_zeros(value);
  const bool pad = v.empty() || (v[0] & 0x80) != 0;
  out.push_back(0x02);
  append_der_length(out, v.size() + (pad ? 1 : 0));
  if (pad) out.push_back(0x00);
  out.insert(out.end(), v.begin(), v.end());
}

// Reads a DER length (minimal encoding, at most two octets).
bool read_der_length(ByteView der, std::size_t& pos, std::size_t& len) {
  if (pos >= der.size()) return false;
  const std::uint8_t first = der[pos++];
  if (first < 0x80) {
    len = first;
    return true;
  }
  const std::size_t octets = first & 0x7f;
  if (octets == 0 || octets > 2 || pos + octets > der.size() || der[pos] == 0) return false;
  len = 0;
  for (std::size_t i = 0; i < octets; ++i) len = (len << 8) | der[pos++];
  return len >= 0x80;
}

bool read_der_integer(ByteView der, std::size_t& pos, Bytes& out) {
  std::size_t len = 0;
  if (pos >= der.size() || der[pos++] != 0x02 || !read_der_length(der, pos, len)) return false;
  if (len == 0 || pos + len > der.size()) return false;
  const ByteView v = der.subspan(pos, len);
  if ((v[0] & 0x80) != 0) return false;                               // negative
  if (v.size() > 1 && v[0] == 0 && (v[1] & 0x80) == 0) return false;  // not minimal
  const ByteView value = strip_zeros(v);
  out.assign(value.begin(), value.end());
  pos += len;
  return true;
}

}  // namespace

bool verify_rsa_pkcs1(const PKey& key, DigestAlg alg, ByteView digest, ByteView signature) {
  const Bytes block = pkcs1_block(alg, digest);
  if (block.empty() || key_type(key) != KeyType::kRsa) return false;
  const std::size_t width = (key_bits(key) + 7) / 8;
  const ByteView sig = strip_zeros(signature);
  if (sig.size() > width) return false;
  Bytes padded(width - sig.size(), 0);
  padded.insert(padded.end(), sig.begin(), sig.end());
  if (const RSA* rsa = key.is_direct() ? EVP_PKEY_get0_RSA(key.get()) : nullptr; rsa != nullptr) {
    // What the provider's PKCS#1 v1.5 verify without a digest does: recover the block, compare it.
    Bytes recovered(width);
    const int n = RSA_public_decrypt(static_cast<int>(padded.size()), padded.data(), recovered.data(),
                                     const_cast<RSA*>(rsa), RSA_PKCS1_PADDING);
    const bool ok = n >= 0 && static_cast<std::size_t>(n) == block.size() &&
                    CRYPTO_memcmp(recovered.data(), block.data(), block.size()) == 0;
    if (!ok) take_openssl_error();
    return ok;
  }
  const auto ctx = pkey_ctx(key);
  const bool ok = ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
                  EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) == 1 &&
                  EVP_PKEY_verify(ctx.get(), padded.data(), padded.size(), block.data(), block.size()) == 1;
  if (!ok) take_openssl_error();
  return ok;
}

Result<Bytes> sign_rsa_pkcs1(const PKey& key, DigestAlg alg, ByteView digest) {
  const Bytes block = pkcs1_block(alg, digest);
  if (block.empty()) return input_error(std::string("cannot make an RSA signature with ") + openssl_name(alg));
  if (key_type(key) != KeyType::kRsa) return internal_error("not an RSA key");
  const auto ctx = pkey_ctx(key);
  std::size_t len = 0;
  if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
      EVP_PKEY_sign(ctx.get(), nullptr, &len, block.data(), block.size()) != 1) {
    return internal_error("RSA signing failed: " + take_openssl_error());
  }
  Bytes sig(len);
  if (EVP_PKEY_sign(ctx.get(), sig.data(), &len, block.data(), block.size()) != 1) {
    return internal_error("RSA signing failed: " + take_openssl_error());
  }
  sig.resize(len);
  // Always modulus-sized, as RSA_size: left-pad if OpenSSL returned fewer.
  const std::size_t width = (key_bits(key) + 7) / 8;
  if (sig.size() < width) sig.insert(sig.begin(), width - sig.size(), 0);
  return sig;
}

bool verify_dsa_or_ecdsa(const PKey& key, ByteView digest, ByteView r, ByteView s) {
  const KeyType type = key_type(key);
  if (type != KeyType::kDsa && type != KeyType::kEc) return false;
  if (const EC_KEY* ec = key.is_direct() ? EVP_PKEY_get0_EC_KEY(key.get()) : nullptr; ec != nullptr) {
    // The provider decodes the DER form back to (r, s) and calls this.
    detail::Bn br = detail::to_bn(r), bs = detail::to_bn(s);
    ECDSA_SIG* sig = ECDSA_SIG_new();
    bool ok = false;
    // set0 takes both numbers (it fails only for a null one).
    if (sig != nullptr && br && bs && ECDSA_SIG_set0(sig, br.release(), bs.release()) == 1) {
      ok = ECDSA_do_verify(digest.data(), static_cast<int>(digest.size()), sig, const_cast<EC_KEY*>(ec)) == 1;
    }
    ECDSA_SIG_free(sig);
    if (!ok) take_openssl_error();
    return ok;
  }
  const Bytes der = encode_dsa_signature_der(r, s);
  const auto ctx = pkey_ctx(key);
  const bool ok = ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
                  EVP_PKEY_verify(ctx.get(), der.data(), der.size(), digest.data(), digest.size()) == 1;
  if (!ok) take_openssl_error();
  return ok;
}

Result<DsaSignature> sign_dsa_or_ecdsa(const PKey& key, ByteView digest) {
  const KeyType type = key_type(key);
  if (type != KeyType::kDsa && type != KeyType::kEc) return internal_error("not a DSA or ECDSA key");
  const auto ctx = pkey_ctx(key);
  std::size_t len = 0;
  if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 ||
      EVP_PKEY_sign(ctx.get(), nullptr, &len, digest.data(), digest.size()) != 1) {
    return internal_error("signing failed: " + take_openssl_error());
  }
  Bytes der(len);
  if (EVP_PKEY_sign(ctx.get(), der.data(), &len, digest.data(), digest.size()) != 1) {
    return internal_error("signing failed: " + take_openssl_error());
  }
  der.resize(len);
  return decode_dsa_signature_der(der);
}

bool verify_eddsa(const PKey& key, ByteView message, ByteView signature) {
  const KeyType type = key_type(key);
  if (type != KeyType::kEd25519 && type != KeyType::kEd448) return false;
  const detail::MdCtx md(EVP_MD_CTX_new());
  const bool ok = md &&
                  EVP_DigestVerifyInit_ex(md.get(), nullptr, nullptr, nullptr, nullptr, key.get(), nullptr) == 1 &&
                  EVP_DigestVerify(md.get(), signature.data(), signature.size(), message.data(), message.size()) == 1;
  if (!ok) take_openssl_error();
  return ok;
}

Result<Bytes> sign_eddsa(const PKey& key, ByteView message) {
  const KeyType type = key_type(key);
  if (type != KeyType::kEd25519 && type != KeyType::kEd448) return internal_error("not an EdDSA key");
  const detail::MdCtx md(EVP_MD_CTX_new());
  std::size_t len = 0;
  if (!md || EVP_DigestSignInit_ex(md.get(), nullptr, nullptr, nullptr, nullptr, key.get(), nullptr) != 1 ||
      EVP_DigestSign(md.get(), nullptr, &len, message.data(), message.size()) != 1) {
    return internal_error("EdDSA signing failed: " + take_openssl_error());
  }
  Bytes sig(len);
  if (EVP_DigestSign(md.get(), sig.data(), &len, message.data(), message.size()) != 1) {
    return internal_error("EdDSA signing failed: " + take_openssl_error());
  }
  sig.resize(len);
  return sig;
}

Bytes encode_dsa_signature_der(ByteView r, ByteView s) {
  Bytes body;
  append_der_integer(body, r);
  append_der_integer(body, s);
  Bytes out;
  out.reserve(body.size() + 4);
  out.push_back(0x30);
  append_der_length(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Result<DsaSignature> decode_dsa_signature_der(ByteView der) {
  std::size_t pos = 0;
  std::size_t len = 0;
  DsaSignature out;
  if (der.empty() || der[pos++] != 0x30 || !read_der_length(der, pos, len) || pos + len != der.size() ||
      !read_der_integer(der, pos, out.r) || !read_der_integer(der, pos, out.s) || pos != der.size()) {
    return input_error("malformed DER signature");
  }
  return out;
}

Result<DigestAlg> default_digest(const PKey& key) {
  switch (key_type(key)) {
    case KeyType::kRsa: return DigestAlg::kSha256;
    case KeyType::kEc: {
      TRY(const std::string group, ec_group_name(key));
      if (group == "prime256v1") return DigestAlg::kSha256;
      if (group == "secp384r1") return DigestAlg::kSha384;
      if (group == "secp521r1") return DigestAlg::kSha512;
      return input_error("unsupported elliptic curve " + group);
    }
    case KeyType::kEd25519: return usage_error("an Ed25519 key signs messages, not digests");
    default: return input_error("unsupported key type");
  }
}

Result<Bytes> sign_digest_encoded(const PKey& key, DigestAlg alg, ByteView digest) {
  if (digest.size() != digest_size(alg)) return internal_error("digest length does not match its algorithm");
  switch (key_type(key)) {
    case KeyType::kRsa: return sign_rsa_pkcs1(key, alg, digest);
    case KeyType::kEc: {
      TRY(const auto rs, sign_dsa_or_ecdsa(key, digest));
      return encode_dsa_signature_der(rs.r, rs.s);
    }
    default: return usage_error("an Ed25519 key signs messages, not digests");
  }
}

bool verify_digest_encoded(const PKey& key, DigestAlg alg, ByteView digest, ByteView signature) {
  if (digest.size() != digest_size(alg)) return false;
  switch (key_type(key)) {
    case KeyType::kRsa: return verify_rsa_pkcs1(key, alg, digest, signature);
    case KeyType::kEc: {
      const auto rs = decode_dsa_signature_der(signature);
      return rs.ok() && verify_dsa_or_ecdsa(key, digest, rs->r, rs->s);
    }
    default: return false;
  }
}

}  // namespace chartprov::crypto
