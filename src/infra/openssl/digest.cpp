// The SHA*_Init/Update/Final functions are deprecated in OpenSSL 3 in favour
// of EVP, and still the implementation EVP's default provider calls.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "infra/openssl/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <stdexcept>

#include "infra/openssl/certificate_digests.hpp"
#include "util/encoding.hpp"

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

struct Digest::Direct {
  union {
    SHA_CTX sha1;
    SHA256_CTX sha256;  // also SHA-224
    SHA512_CTX sha512;  // also SHA-384
  };
};

namespace {

bool is_direct(DigestAlg alg) {
  switch (alg) {
    case DigestAlg::kSha1:
    case DigestAlg::kSha224:
    case DigestAlg::kSha256:
    case DigestAlg::kSha384:
    case DigestAlg::kSha512: return true;
    default: return false;
  }
}

}  // namespace

Digest::Digest(DigestAlg alg, evp_md_ctx_st* ctx, std::unique_ptr<Direct> direct)
    : alg_(alg), ctx_(ctx), direct_(std::move(direct)) {}

Result<Digest> Digest::create(DigestAlg alg) {
  if (is_direct(alg)) {
    auto d = std::make_unique<Direct>();
    int ok = 0;
    switch (alg) {
      case DigestAlg::kSha1: ok = SHA1_Init(&d->sha1); break;
      case DigestAlg::kSha224: ok = SHA224_Init(&d->sha256); break;
      case DigestAlg::kSha256: ok = SHA256_Init(&d->sha256); break;
      case DigestAlg::kSha384: ok = SHA384_Init(&d->sha512); break;
      default: ok = SHA512_Init(&d->sha512); break;
    }
    if (ok != 1) return internal_error(std::string("digest not available: ") + openssl_name(alg));
    return Digest(alg, nullptr, std::move(d));
  }
  const EVP_MD* md = fetch_md(alg);
  if (md == nullptr) return internal_error(std::string("digest not available: ") + openssl_name(alg));
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return internal_error("out of memory");
  if (EVP_DigestInit_ex(ctx, md, nullptr) != 1) {
    EVP_MD_CTX_free(ctx);
    return internal_error(std::string("digest not available: ") + openssl_name(alg));
  }
  return Digest(alg, ctx, nullptr);
}

Digest::Digest(Digest&& o) noexcept : alg_(o.alg_), ctx_(o.ctx_), direct_(std::move(o.direct_)) { o.ctx_ = nullptr; }
Digest& Digest::operator=(Digest&& o) noexcept {
  if (this != &o) {
    EVP_MD_CTX_free(ctx_);
    alg_ = o.alg_;
    ctx_ = o.ctx_;
    direct_ = std::move(o.direct_);
    o.ctx_ = nullptr;
  }
  return *this;
}
Digest::~Digest() {
  EVP_MD_CTX_free(ctx_);
  if (direct_) OPENSSL_cleanse(direct_.get(), sizeof(Direct));
}

void Digest::update(ByteView data) {
  if (data.empty()) return;
  if (!direct_) {
    EVP_DigestUpdate(ctx_, data.data(), data.size());
    return;
  }
  switch (alg_) {
    case DigestAlg::kSha1: SHA1_Update(&direct_->sha1, data.data(), data.size()); break;
    case DigestAlg::kSha224:
    case DigestAlg::kSha256: SHA256_Update(&direct_->sha256, data.data(), data.size()); break;
    default: SHA512_Update(&direct_->sha512, data.data(), data.size()); break;
  }
}

Bytes Digest::finish() {
  if (!direct_) {
    Bytes out(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_, out.data(), &len);
    out.resize(len);
    return out;
  }
  Bytes out(digest_size(alg_));
  switch (alg_) {
    case DigestAlg::kSha1: SHA1_Final(out.data(), &direct_->sha1); break;
    case DigestAlg::kSha224: SHA224_Final(out.data(), &direct_->sha256); break;
    case DigestAlg::kSha256: SHA256_Final(out.data(), &direct_->sha256); break;
    case DigestAlg::kSha384: SHA384_Final(out.data(), &direct_->sha512); break;
    default: SHA512_Final(out.data(), &direct_->sha512); break;
  }
  return out;
}

Bytes sha256(ByteView data) {
  Bytes out(32);
  SHA256(data.data(), data.size(), out.data());
  return out;
}

std::string sha256_digest(ByteView data) { return "sha256:" + hex_encode(sha256(data)); }

void init_openssl() {
  // No config file, and no registration of every legacy cipher and digest
  // name: that table is what made the first fetch build a name map of all
  // of them (about half of the instructions of one verify, docs/PERFORMANCE.md).
  // No atexit cleanup either: it only frees OpenSSL's tables, which the exit frees anyway, and
  // walking them was ~2 % of one verify. Keys are freed (and their numbers cleared) by their
  // owners before that.
  OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ADD_ALL_DIGESTS |
                          OPENSSL_INIT_NO_ATEXIT,
                      nullptr);
  // The SHA-2 names, before the first fetch: a digest fetched while the
  // table lacks its name is cached without its NID for the whole process,
  // and PKCS#7 (RFC 3161 tokens) then finds no digest of the signer's type.
  register_certificate_digests();
}

}  // namespace chartprov::crypto
