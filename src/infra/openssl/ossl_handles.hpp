#pragma once
// unique_ptr aliases for the OpenSSL handles used inside infra/openssl.
// Internal to this folder: callers outside see PKey and plain bytes only.
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include <memory>

#include "util/bytes.hpp"

namespace chartprov::crypto::detail {

struct BnFree {
  void operator()(BIGNUM* b) const { BN_clear_free(b); }
};
struct BnCtxFree {
  void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
// Private key parameters pass through here: wipe every value before freeing.
struct ParamFree {
  void operator()(OSSL_PARAM* params) const {
    for (OSSL_PARAM* p = params; p != nullptr && p->key != nullptr; ++p) {
      if (p->data != nullptr) OPENSSL_cleanse(p->data, p->data_size);
    }
    OSSL_PARAM_free(params);
  }
};

using Bn = std::unique_ptr<BIGNUM, BnFree>;
using BnCtx = std::unique_ptr<BN_CTX, BnCtxFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using ParamBld = std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree>;
using Params = std::unique_ptr<OSSL_PARAM, ParamFree>;

// An unsigned big-endian integer as a BIGNUM (nullptr when out of memory).
inline Bn to_bn(ByteView v) {
  static const unsigned char kZero = 0;
  return Bn(BN_bin2bn(v.empty() ? &kZero : v.data(), v.empty() ? 1 : static_cast<int>(v.size()), nullptr));
}

// A BIGNUM as exactly `width` big-endian bytes (0 = minimal).
inline Bytes from_bn(const BIGNUM* bn, std::size_t width = 0) {
  const auto n = static_cast<std::size_t>(BN_num_bytes(bn));
  Bytes out(width > n ? width : n);
  BN_bn2binpad(bn, out.data(), static_cast<int>(out.size()));
  return out;
}

}  // namespace chartprov::crypto::detail
