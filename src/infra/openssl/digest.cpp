#include "infra/openssl/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace chartprov::crypto {
namespace {

const EVP_MD* fetch_md(DigestAlg alg) {
  switch (alg) {
    case DigestAlg::kMd5: return EVP_md5();
    case DigestAlg::kSha1: return EVP_sha1();
    case DigestAlg::kRipemd160: return EVP_ripemd160();
    case DigestAlg::kSha224: return EVP_sha224();
    case DigestAlg::kSha256: return EVP_sha256();
    case DigestAlg::kSha384: return EVP_sha384();
    case DigestAlg::kSha512: return EVP_sha512();
    case DigestAlg::kSha3_256: return EVP_sha3_256();
    case DigestAlg::kSha3_512: return EVP_sha3_512();
  }
  return nullptr;
}

}  // namespace

const char* openssl_name(DigestAlg alg) {
  switch (alg) {
    case DigestAlg::kMd5: return "MD5";
    case DigestAlg::kSha1: return "SHA1";
    case DigestAlg::kRipemd160: return "RIPEMD160";
    case DigestAlg::kSha224: return "SHA224";
    case DigestAlg::kSha256: return "SHA256";
    case DigestAlg::kSha384: return "SHA384";
    case DigestAlg::kSha512: return "SHA512";
    case DigestAlg::kSha3_256: return "SHA3-256";
    case DigestAlg::kSha3_512: return "SHA3-512";
  }
  return "?";
}

std::size_t digest_size(DigestAlg alg) {
  switch (alg) {
    case DigestAlg::kMd5: return 16;
    case DigestAlg::kSha1:
    case DigestAlg::kRipemd160: return 20;
    case DigestAlg::kSha224: return 28;
    case DigestAlg::kSha256:
    case DigestAlg::kSha3_256: return 32;
    case DigestAlg::kSha384: return 48;
    case DigestAlg::kSha512:
    case DigestAlg::kSha3_512: return 64;
  }
  return 0;
}

Result<Digest> Digest::create(DigestAlg alg) {
  const EVP_MD* md = fetch_md(alg);
  if (md == nullptr) return internal_error(std::string("digest not available: ") + openssl_name(alg));
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return internal_error("out of memory");
  if (EVP_DigestInit_ex(ctx, md, nullptr) != 1) {
    EVP_MD_CTX_free(ctx);
    return internal_error(std::string("digest not available: ") + openssl_name(alg));
  }
  return Digest(alg, ctx);
}

Digest::Digest(Digest&& o) noexcept : alg_(o.alg_), ctx_(o.ctx_) { o.ctx_ = nullptr; }
Digest& Digest::operator=(Digest&& o) noexcept {
  if (this != &o) {
    EVP_MD_CTX_free(ctx_);
    alg_ = o.alg_;
    ctx_ = o.ctx_;
    o.ctx_ = nullptr;
  }
  return *this;
}
Digest::~Digest() { EVP_MD_CTX_free(ctx_); }

void Digest::update(ByteView data) {
  if (!data.empty()) EVP_DigestUpdate(ctx_, data.data(), data.size());
}

Bytes Digest::finish() {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_, out.data(), &len);
  out.resize(len);
  return out;
}

Bytes sha256(ByteView data) {
  Bytes out(32);
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

void init_openssl() {
  // No config file, and no registration of every legacy cipher and digest
  // name: that table is what made the first fetch build a name map of all
  // of them (about half of the instructions of one verify, docs/PERFORMANCE.md).
  OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ADD_ALL_DIGESTS,
                      nullptr);
}

}  // namespace chartprov::crypto
