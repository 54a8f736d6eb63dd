#pragma once
// Message digests over OpenSSL, streaming. SHA-1 and SHA-2 use OpenSSL's
// direct implementations (the same code EVP ends in, without the provider
// fetch that costs a short-lived process more than the hashing); the others
// go through EVP.
#include <memory>
#include <string>
#include <string_view>

#include "util/bytes.hpp"
#include "util/result.hpp"

struct evp_md_ctx_st;

namespace chartprov::crypto {

enum class DigestAlg { kMd5, kSha1, kRipemd160, kSha224, kSha256, kSha384, kSha512, kSha3_256, kSha3_512 };

// OpenSSL's name for the algorithm ("SHA2-256", ...).
const char* openssl_name(DigestAlg alg);
std::size_t digest_size(DigestAlg alg);

class Digest {
 public:
  static Result<Digest> create(DigestAlg alg);
  Digest(Digest&&) noexcept;
  Digest& operator=(Digest&&) noexcept;
  ~Digest();

  void update(ByteView data);
  void update(std::string_view text) { update(as_bytes(text)); }
  // Finishes and returns the digest; the object must not be used afterwards.
  Bytes finish();
  DigestAlg alg() const { return alg_; }

 private:
  struct Direct;  // SHA-1 / SHA-2 state
  Digest(DigestAlg alg, evp_md_ctx_st* ctx, std::unique_ptr<Direct> direct);
  DigestAlg alg_;
  evp_md_ctx_st* ctx_;  // owned; null when direct_ is used
  std::unique_ptr<Direct> direct_;
};

Bytes sha256(ByteView data);
// "sha256:<lower-case hex>": how a digest is named in index.yaml, OCI and our reports.
std::string sha256_digest(ByteView data);

// Call once at start-up: initialises OpenSSL without reading openssl.cnf (the
// config costs milliseconds per process and changes nothing we use).
void init_openssl();

}  // namespace chartprov::crypto
