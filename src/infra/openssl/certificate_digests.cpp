#include "infra/openssl/certificate_digests.hpp"

#include <openssl/evp.h>

#include <mutex>

namespace chartprov::crypto {

void register_certificate_digests() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (const EVP_MD* md : {EVP_sha1(), EVP_sha224(), EVP_sha256(), EVP_sha384(), EVP_sha512()}) EVP_add_digest(md);
  });
}

}  // namespace chartprov::crypto
