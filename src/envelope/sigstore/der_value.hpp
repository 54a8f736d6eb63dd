#pragma once
// One primitive DER value (tag, length, contents), read strictly: what the
// Fulcio extensions (UTF8String) and the embedded SCT list (OCTET STRING)
// carry inside a certificate extension's value. No OpenSSL: the certificate
// itself is read in infra/openssl/x509_certificate.hpp.
#include <cstdint>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::sigstore {

inline constexpr std::uint8_t kDerOctetString = 0x04;
inline constexpr std::uint8_t kDerUtf8String = 0x0c;

// The contents of `der`, which must be exactly one value with this
// single-byte tag. Refusals (input errors): fewer bytes than the header or
// the length says ("truncated DER value"); another tag ("DER tag 0xNN where
// 0xMM was expected"); an indefinite length or one of more than four bytes
// ("unsupported DER length"); a length not in its shortest form ("DER length
// not in its shortest form"); bytes after the value ("trailing bytes after
// the DER value").
Result<ByteView> der_contents(ByteView der, std::uint8_t tag);

}  // namespace chartprov::sigstore
