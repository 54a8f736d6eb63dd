// RSA and EC_KEY (rsa_public_key, ec_public_key) are deprecated in OpenSSL 3
// in favour of provider keys; see those functions for why they are used.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "infra/openssl/pkey.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <list>
#include <vector>

#include "infra/openssl/ossl_error.hpp"
#include "infra/openssl/ossl_handles.hpp"

namespace chartprov::crypto {
namespace {

using detail::Bn;
using detail::to_bn;

// Collects named integers, octet strings and strings, then makes a key with
// EVP_PKEY_fromdata. BIGNUMs are kept alive until the params are built.
class KeyBuilder {
 public:
  KeyBuilder() : bld_(OSSL_PARAM_BLD_new()) {}

  void bn(const char* name, ByteView value, bool secret = false) {
    Bn b = to_bn(value);
    if (!b || !bld_) {
      ok_ = false;
      return;
    }
    if (secret) BN_set_flags(b.get(), BN_FLG_CONSTTIME);
    ok_ = ok_ && OSSL_PARAM_BLD_push_BN(bld_.get(), name, b.get()) == 1;
    bns_.push_back(std::move(b));
  }
  void bn(const char* name, Bn b) {
    if (!b || !bld_) {
      ok_ = false;
      return;
    }
    BN_set_flags(b.get(), BN_FLG_CONSTTIME);
    ok_ = ok_ && OSSL_PARAM_BLD_push_BN(bld_.get(), name, b.get()) == 1;
    bns_.push_back(std::move(b));
  }
  // The builder keeps pointers until build(): strings and octets are copied
  // into storage that lives as long as the builder.
  void octets(const char* name, ByteView value) {
    const Bytes& kept = octets_.emplace_back(value.begin(), value.end());
    ok_ = ok_ && bld_ && OSSL_PARAM_BLD_push_octet_string(bld_.get(), name, kept.data(), kept.size()) == 1;
  }
  void utf8(const char* name, std::string_view value) {
    const std::string& kept = strings_.emplace_back(value);
    ok_ = ok_ && bld_ && OSSL_PARAM_BLD_push_utf8_string(bld_.get(), name, kept.c_str(), kept.size()) == 1;
  }

  Result<PKey> build(const char* type, int selection) {
    if (!ok_) return internal_error("cannot assemble " + std::string(type) + " key parameters");
    const detail::Params params(OSSL_PARAM_BLD_to_param(bld_.get()));
    if (!params) return internal_error("out of memory");
    const detail::PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    if (!ctx) return internal_error(std::string(type) + " keys are not available in OpenSSL");
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_fromdata_init(ctx.get()) != 1 || EVP_PKEY_fromdata(ctx.get(), &raw, selection, params.get()) != 1) {
      const std::string why = take_openssl_error();
      return input_error("invalid " + std::string(type) + " key" + (why.empty() ? "" : ": " + why));
    }
    return PKey(raw);
  }

 private:
  detail::ParamBld bld_;
  std::vector<Bn> bns_;
  std::list<Bytes> octets_;  // stable addresses
  std::list<std::string> strings_;
  bool ok_ = true;
};

Status pairwise_check(const PKey& key, const char* what) {
  const detail::PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!ctx) return internal_error("out of memory");
  if (EVP_PKEY_pairwise_check(ctx.get()) != 1) {
    take_openssl_error();
    return input_error(std::string(what) + " private key does not match its public key");
  }
  return ok_status();
}

bool is_a(const PKey& key, const char* name) { return key && EVP_PKEY_is_a(key.get(), name) == 1; }

}  // namespace

PKey& PKey::operator=(PKey&& o) noexcept {
  if (this != &o) {
    EVP_PKEY_free(p_);
    p_ = o.p_;
    direct_ = o.direct_;
    o.p_ = nullptr;
  }
  return *this;
}

PKey::~PKey() { EVP_PKEY_free(p_); }

KeyType key_type(const PKey& key) {
  if (is_a(key, "RSA")) return KeyType::kRsa;
  if (is_a(key, "EC")) return KeyType::kEc;
  if (is_a(key, "ED25519")) return KeyType::kEd25519;
  if (is_a(key, "ED448")) return KeyType::kEd448;
  if (is_a(key, "DSA")) return KeyType::kDsa;
  return KeyType::kOther;
}

bool has_private_key(const PKey& key) {
  if (!key) return false;
  switch (key_type(key)) {
    case KeyType::kRsa:
    case KeyType::kDsa:
    case KeyType::kEc: {
      BIGNUM* raw = nullptr;
      const char* name = key_type(key) == KeyType::kRsa ? OSSL_PKEY_PARAM_RSA_D : OSSL_PKEY_PARAM_PRIV_KEY;
      const bool ok = EVP_PKEY_get_bn_param(key.get(), name, &raw) == 1;
      Bn owned(raw);
      ERR_clear_error();
      return ok;
    }
    case KeyType::kEd25519:
    case KeyType::kEd448: {
      std::size_t len = 0;
      const bool ok = EVP_PKEY_get_raw_private_key(key.get(), nullptr, &len) == 1 && len > 0;
      ERR_clear_error();
      return ok;
    }
    case KeyType::kOther: break;
  }
  return false;
}

unsigned key_bits(const PKey& key) {
  const int bits = key ? EVP_PKEY_get_bits(key.get()) : 0;
  return bits > 0 ? static_cast<unsigned>(bits) : 0;
}

Result<PKey> rsa_public_key(ByteView n, ByteView e) {
  // Built as OpenSSL's own RSA structure: no provider key management is
  // fetched (most of a short verify's start-up), and verification can call
  // the RSA code directly. Same checks as the provider's import: n and e set.
  if (Bn bn = to_bn(n), be = to_bn(e); bn && be && !BN_is_zero(bn.get()) && !BN_is_zero(be.get())) {
    RSA* rsa = RSA_new();
    if (rsa != nullptr && RSA_set0_key(rsa, bn.release(), be.release(), nullptr) == 1) {  // rsa owns them
      EVP_PKEY* pkey = EVP_PKEY_new();
      if (pkey != nullptr && EVP_PKEY_assign_RSA(pkey, rsa) == 1) return PKey::direct(pkey);
      EVP_PKEY_free(pkey);
    }
    RSA_free(rsa);
    take_openssl_error();
  }
  KeyBuilder b;
  b.bn(OSSL_PKEY_PARAM_RSA_N, n);
  b.bn(OSSL_PKEY_PARAM_RSA_E, e);
  return b.build("RSA", EVP_PKEY_PUBLIC_KEY);
}

Result<PKey> dsa_public_key(ByteView p, ByteView q, ByteView g, ByteView y) {
  KeyBuilder b;
  b.bn(OSSL_PKEY_PARAM_FFC_P, p);
  b.bn(OSSL_PKEY_PARAM_FFC_Q, q);
  b.bn(OSSL_PKEY_PARAM_FFC_G, g);
  b.bn(OSSL_PKEY_PARAM_PUB_KEY, y);
  return b.build("DSA", EVP_PKEY_PUBLIC_KEY);
}

Result<PKey> ec_public_key(std::string_view group, ByteView point) {
  // As for RSA: an EC_KEY of a named curve, the point decoded and checked to lie on it.
  const std::string name(group);
  if (const int nid = OBJ_txt2nid(name.c_str()); nid != NID_undef) {
    EC_KEY* ec = EC_KEY_new_by_curve_name(nid);
    if (ec != nullptr && EC_KEY_oct2key(ec, point.data(), point.size(), nullptr) == 1) {
      EVP_PKEY* pkey = EVP_PKEY_new();
      if (pkey != nullptr && EVP_PKEY_assign_EC_KEY(pkey, ec) == 1) return PKey::direct(pkey);
      EVP_PKEY_free(pkey);
    }
    EC_KEY_free(ec);
    take_openssl_error();  // the provider's import below says what is wrong
  }
  KeyBuilder b;
  b.utf8(OSSL_PKEY_PARAM_GROUP_NAME, group);
  b.octets(OSSL_PKEY_PARAM_PUB_KEY, point);
  return b.build("EC", EVP_PKEY_PUBLIC_KEY);
}

Result<PKey> raw_public_key(std::string_view type, ByteView public_key) {
  const std::string name(type);
  EVP_PKEY* raw = EVP_PKEY_new_raw_public_key_ex(nullptr, name.c_str(), nullptr, public_key.data(), public_key.size());
  if (raw == nullptr) {
    take_openssl_error();
    return input_error("invalid " + name + " public key");
  }
  return PKey(raw);
}

Result<PKey> rsa_private_key(ByteView n, ByteView e, ByteView d, ByteView p, ByteView q) {
  // OpenSSL wants the CRT values; OpenPGP's u (p^-1 mod q) is not the same
  // as OpenSSL's coefficient (q^-1 mod p), so all three are computed here.
  const detail::BnCtx bnctx(BN_CTX_secure_new());
  Bn bd = to_bn(d), bp = to_bn(p), bq = to_bn(q);
  Bn p1(BN_new()), q1(BN_new()), dmp1(BN_new()), dmq1(BN_new()), iqmp(BN_new());
  if (!bnctx || !bd || !bp || !bq || !p1 || !q1 || !dmp1 || !dmq1 || !iqmp) return internal_error("out of memory");
  BN_set_flags(bd.get(), BN_FLG_CONSTTIME);
  const bool ok = BN_sub(p1.get(), bp.get(), BN_value_one()) == 1 && BN_sub(q1.get(), bq.get(), BN_value_one()) == 1 &&
                  BN_mod(dmp1.get(), bd.get(), p1.get(), bnctx.get()) == 1 &&
                  BN_mod(dmq1.get(), bd.get(), q1.get(), bnctx.get()) == 1 &&
                  BN_mod_inverse(iqmp.get(), bq.get(), bp.get(), bnctx.get()) != nullptr;
  if (!ok) {
    take_openssl_error();
    return input_error("invalid RSA private key (bad primes)");
  }
  KeyBuilder b;
  b.bn(OSSL_PKEY_PARAM_RSA_N, n);
  b.bn(OSSL_PKEY_PARAM_RSA_E, e);
  b.bn(OSSL_PKEY_PARAM_RSA_D, std::move(bd));
  b.bn(OSSL_PKEY_PARAM_RSA_FACTOR1, std::move(bp));
  b.bn(OSSL_PKEY_PARAM_RSA_FACTOR2, std::move(bq));
  b.bn(OSSL_PKEY_PARAM_RSA_EXPONENT1, std::move(dmp1));
  b.bn(OSSL_PKEY_PARAM_RSA_EXPONENT2, std::move(dmq1));
  b.bn(OSSL_PKEY_PARAM_RSA_COEFFICIENT1, std::move(iqmp));
  TRY(PKey key, b.build("RSA", EVP_PKEY_KEYPAIR));
  TRY_STATUS(pairwise_check(key, "RSA"));
  return key;
}

Result<PKey> dsa_private_key(ByteView p, ByteView q, ByteView g, ByteView y, ByteView x) {
  KeyBuilder b;
  b.bn(OSSL_PKEY_PARAM_FFC_P, p);
  b.bn(OSSL_PKEY_PARAM_FFC_Q, q);
  b.bn(OSSL_PKEY_PARAM_FFC_G, g);
  b.bn(OSSL_PKEY_PARAM_PUB_KEY, y);
  b.bn(OSSL_PKEY_PARAM_PRIV_KEY, x, true);
  TRY(PKey key, b.build("DSA", EVP_PKEY_KEYPAIR));
  TRY_STATUS(pairwise_check(key, "DSA"));
  return key;
}

Result<PKey> ec_private_key(std::string_view group, ByteView point, ByteView d) {
  KeyBuilder b;
  b.utf8(OSSL_PKEY_PARAM_GROUP_NAME, group);
  b.octets(OSSL_PKEY_PARAM_PUB_KEY, point);
  b.bn(OSSL_PKEY_PARAM_PRIV_KEY, d, true);
  TRY(PKey key, b.build("EC", EVP_PKEY_KEYPAIR));
  TRY_STATUS(pairwise_check(key, "ECDSA"));
  return key;
}

Result<PKey> raw_private_key(std::string_view type, ByteView seed, ByteView expected_public) {
  const std::string name(type);
  EVP_PKEY* raw = EVP_PKEY_new_raw_private_key_ex(nullptr, name.c_str(), nullptr, seed.data(), seed.size());
  if (raw == nullptr) {
    take_openssl_error();
    return input_error("invalid " + name + " private key");
  }
  PKey key(raw);
  if (!expected_public.empty()) {
    TRY(Bytes pub, raw_public_bytes(key));
    if (!std::equal(pub.begin(), pub.end(), expected_public.begin(), expected_public.end())) {
      return input_error(name + " private key does not match its public key");
    }
  }
  return key;
}

Result<Bytes> bn_param(const PKey& key, const char* name) {
  BIGNUM* raw = nullptr;
  if (!key || EVP_PKEY_get_bn_param(key.get(), name, &raw) != 1) {
    take_openssl_error();
    return internal_error(std::string("key has no parameter ") + name);
  }
  const Bn owned(raw);
  return detail::from_bn(owned.get());
}

Result<std::string> ec_group_name(const PKey& key) {
  std::array<char, 64> buf{};
  std::size_t len = 0;
  if (!key ||
      EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, buf.data(), buf.size(), &len) != 1) {
    take_openssl_error();
    return input_error("EC key without a named curve");
  }
  return std::string(buf.data(), len);
}

Result<Bytes> ec_public_point(const PKey& key) {
  // Rebuilt from x and y so the encoding is uncompressed whatever the key's
  // preferred point format is.
  TRY(Bytes x, bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X));
  TRY(Bytes y, bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y));
  const std::size_t width = (key_bits(key) + 7) / 8;
  if (width == 0 || x.size() > width || y.size() > width) return internal_error("unexpected EC point size");
  Bytes out(1 + 2 * width, 0);
  out[0] = 0x04;
  std::copy(x.begin(), x.end(), out.begin() + static_cast<std::ptrdiff_t>(1 + width - x.size()));
  std::copy(y.begin(), y.end(), out.begin() + static_cast<std::ptrdiff_t>(1 + 2 * width - y.size()));
  return out;
}

Result<Bytes> raw_public_bytes(const PKey& key) {
  std::size_t len = 0;
  if (!key || EVP_PKEY_get_raw_public_key(key.get(), nullptr, &len) != 1) {
    take_openssl_error();
    return internal_error("key has no raw public key");
  }
  Bytes out(len);
  if (EVP_PKEY_get_raw_public_key(key.get(), out.data(), &len) != 1) {
    take_openssl_error();
    return internal_error("cannot read raw public key");
  }
  out.resize(len);
  return out;
}

Result<PKey> generate_key(std::string_view spec) {
  EVP_PKEY* raw = nullptr;
  if (spec == "rsa-3072") {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(3072));
  } else if (spec == "rsa-4096") {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(4096));
  } else if (spec == "ecdsa-p256") {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  } else if (spec == "ecdsa-p384") {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
  } else if (spec == "ed25519") {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  } else {
    return usage_error("unknown key type \"" + std::string(spec) +
                       "\" (use rsa-3072, rsa-4096, ecdsa-p256, ecdsa-p384 or ed25519)");
  }
  if (raw == nullptr) {
    const std::string why = take_openssl_error();
    return internal_error("key generation failed" + (why.empty() ? "" : ": " + why));
  }
  return PKey(raw);
}

}  // namespace chartprov::crypto
