#include "infra/openssl/pkcs8.hpp"

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <memory>

#include "infra/openssl/ossl_error.hpp"

namespace chartprov::crypto {
namespace {

struct P8InfFree {
  void operator()(PKCS8_PRIV_KEY_INFO* p) const { PKCS8_PRIV_KEY_INFO_free(p); }
};
struct SigFree {
  void operator()(X509_SIG* p) const { X509_SIG_free(p); }
};
struct AlgorFree {
  void operator()(X509_ALGOR* p) const { X509_ALGOR_free(p); }
};
struct Pbe2Free {
  void operator()(PBE2PARAM* p) const { PBE2PARAM_free(p); }
};
struct ScryptFree {
  void operator()(SCRYPT_PARAMS* p) const { SCRYPT_PARAMS_free(p); }
};
struct Pbkdf2Free {
  void operator()(PBKDF2PARAM* p) const { PBKDF2PARAM_free(p); }
};
using P8Inf = std::unique_ptr<PKCS8_PRIV_KEY_INFO, P8InfFree>;
using Sig = std::unique_ptr<X509_SIG, SigFree>;

constexpr std::uint64_t kMaxScryptN = 1u << 20;
constexpr std::uint64_t kMaxScryptR = 32;
constexpr std::uint64_t kMaxScryptP = 4;
constexpr std::uint64_t kMaxPbkdf2Iterations = 600000;  // OWASP 2023 figure for PBKDF2-SHA256

bool integer_at_most(const ASN1_INTEGER* v, std::uint64_t max) {
  std::uint64_t out = 0;
  return v != nullptr && ASN1_INTEGER_get_uint64(&out, v) == 1 && out <= max;
}

// Refuses key derivations we would not write and costs that would let a
// crafted file burn CPU or memory.
Status check_kdf(const X509_SIG* p8) {
  const X509_ALGOR* alg = nullptr;
  X509_SIG_get0(p8, &alg, nullptr);
  if (alg == nullptr || OBJ_obj2nid(alg->algorithm) != NID_pbes2) {
    return input_error("unsupported key encryption (only PBES2 is accepted)");
  }
  const std::unique_ptr<PBE2PARAM, Pbe2Free> pbe2(
      static_cast<PBE2PARAM*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), alg->parameter)));
  if (!pbe2 || pbe2->keyfunc == nullptr) return input_error("malformed PBES2 parameters");
  const int kdf = OBJ_obj2nid(pbe2->keyfunc->algorithm);
  if (kdf == NID_id_scrypt) {
    const std::unique_ptr<SCRYPT_PARAMS, ScryptFree> sp(static_cast<SCRYPT_PARAMS*>(
        ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(SCRYPT_PARAMS), pbe2->keyfunc->parameter)));
    if (!sp) return input_error("malformed scrypt parameters");
    if (!integer_at_most(sp->costParameter, kMaxScryptN) || !integer_at_most(sp->blockSize, kMaxScryptR) ||
        !integer_at_most(sp->parallelizationParameter, kMaxScryptP)) {
      return input_error("scrypt cost of the key encryption is out of bounds");
    }
  } else if (kdf == NID_id_pbkdf2) {
    const std::unique_ptr<PBKDF2PARAM, Pbkdf2Free> pp(
        static_cast<PBKDF2PARAM*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), pbe2->keyfunc->parameter)));
    if (!pp || !integer_at_most(pp->iter, kMaxPbkdf2Iterations)) {
      return input_error("PBKDF2 iteration count of the key encryption is out of bounds");
    }
  } else {
    return input_error("unsupported key derivation in the key encryption");
  }
  return ok_status();
}

Result<PKey> key_from_p8inf(const PKCS8_PRIV_KEY_INFO* p8inf) {
  EVP_PKEY* raw = EVP_PKCS82PKEY(p8inf);
  if (raw == nullptr) {
    take_openssl_error();
    return input_error("unsupported or malformed private key");
  }
  return PKey(raw);
}

}  // namespace

Result<SecretBytes> private_key_info_der(const PKey& key) {
  const P8Inf p8inf(key ? EVP_PKEY2PKCS8(key.get()) : nullptr);
  if (!p8inf) {
    take_openssl_error();
    return internal_error("cannot encode the private key as PKCS#8");
  }
  const int len = i2d_PKCS8_PRIV_KEY_INFO(p8inf.get(), nullptr);
  if (len <= 0) return internal_error("cannot encode the private key as PKCS#8");
  SecretBytes out(Bytes(static_cast<std::size_t>(len)));
  unsigned char* p = out.mutable_bytes().data();
  if (i2d_PKCS8_PRIV_KEY_INFO(p8inf.get(), &p) != len) return internal_error("cannot encode the private key");
  return out;
}

Result<Bytes> encrypted_private_key_info_der(const PKey& key, const SecretString& passphrase) {
  const P8Inf p8inf(key ? EVP_PKEY2PKCS8(key.get()) : nullptr);
  if (!p8inf) {
    take_openssl_error();
    return internal_error("cannot encode the private key as PKCS#8");
  }
  // Random 16-octet salt and IV are chosen by OpenSSL (salt and iv = null).
  std::unique_ptr<X509_ALGOR, AlgorFree> pbe(
      PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), nullptr, 16, nullptr, kScryptN, kScryptR, kScryptP));
  if (!pbe) return internal_error("cannot set up scrypt key encryption: " + take_openssl_error());
  const Sig p8(PKCS8_set0_pbe(passphrase.str().data(), static_cast<int>(passphrase.size()), p8inf.get(), pbe.get()));
  if (!p8) return internal_error("cannot encrypt the private key: " + take_openssl_error());
  static_cast<void>(pbe.release());  // owned by p8 now
  const int len = i2d_X509_SIG(p8.get(), nullptr);
  if (len <= 0) return internal_error("cannot encode the encrypted private key");
  Bytes out(static_cast<std::size_t>(len));
  unsigned char* p = out.data();
  if (i2d_X509_SIG(p8.get(), &p) != len) return internal_error("cannot encode the encrypted private key");
  return out;
}

Result<PKey> parse_private_key_info_der(ByteView der) {
  const unsigned char* p = der.data();
  const P8Inf p8inf(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size())));
  if (!p8inf || p != der.data() + der.size()) {
    take_openssl_error();
    return input_error("not a PKCS#8 private key");
  }
  return key_from_p8inf(p8inf.get());
}

Result<PKey> parse_encrypted_private_key_info_der(ByteView der, const SecretString& passphrase) {
  const unsigned char* p = der.data();
  const Sig p8(d2i_X509_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!p8 || p != der.data() + der.size()) {
    take_openssl_error();
    return input_error("not a PKCS#8 encrypted private key");
  }
  TRY_STATUS(check_kdf(p8.get()));
  const P8Inf p8inf(PKCS8_decrypt(p8.get(), passphrase.str().data(), static_cast<int>(passphrase.size())));
  if (!p8inf) {
    take_openssl_error();
    return input_error("wrong passphrase");
  }
  return key_from_p8inf(p8inf.get());
}

}  // namespace chartprov::crypto
