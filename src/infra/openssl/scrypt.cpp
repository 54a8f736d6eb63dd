#include "infra/openssl/scrypt.hpp"

#include <openssl/evp.h>

namespace chartprov::crypto {

Result<SecretBytes> scrypt(const SecretString& password, ByteView salt, std::uint64_t n, std::uint64_t r,
                           std::uint64_t p, std::size_t length) {
  constexpr std::uint64_t kMaxMem = 256ull << 20;
  SecretBytes out{Bytes(length)};
  if (EVP_PBE_scrypt(password.str().data(), password.size(), salt.data(), salt.size(), n, r, p, kMaxMem,
                     out.mutable_bytes().data(), length) != 1) {
    return input_error("scrypt failed (parameters out of range)");
  }
  return out;
}

}  // namespace chartprov::crypto
