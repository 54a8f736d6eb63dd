#pragma once
// scrypt (RFC 7914) through OpenSSL, with a memory limit large enough for
// cosign's strongest accepted cost (N = 2^17, r = 8: 128 MiB).
#include <cstdint>

#include "util/bytes.hpp"
#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::crypto {

Result<SecretBytes> scrypt(const SecretString& password, ByteView salt, std::uint64_t n, std::uint64_t r,
                           std::uint64_t p, std::size_t length);

}  // namespace chartprov::crypto
