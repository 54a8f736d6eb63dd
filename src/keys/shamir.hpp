#pragma once
// Shamir secret sharing over GF(2^8) with the AES field polynomial
// x^8 + x^4 + x^3 + x + 1 (0x11B), byte by byte: each secret byte is the
// constant term of a random polynomial of degree k-1; share i is the
// polynomial's value at x = i (1..n). Any k shares rebuild the secret by
// Lagrange interpolation at x = 0; k-1 shares say nothing about it.
// Field arithmetic is branch- and table-free so that timing does not depend
// on secret bytes. See docs/KEY-BACKUP.md.
#include <cstdint>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::keys {

struct ShamirShare {
  std::uint8_t x = 0;  // 1..255, never 0 (that is where the secret is)
  SecretBytes y;       // one byte per secret byte
};

inline constexpr unsigned kMaxShares = 255;

// 1 <= threshold <= shares <= 255; an empty secret is refused.
Result<std::vector<ShamirShare>> shamir_split(ByteView secret, unsigned threshold, unsigned shares);

// Rebuilds the secret from exactly the shares given (the caller checks that
// there are at least `threshold` of them and that they belong together):
// distinct non-zero x, equal lengths.
Result<SecretBytes> shamir_combine(const std::vector<const ShamirShare*>& shares);

// Field operations, exposed for known-answer tests.
std::uint8_t gf256_mul(std::uint8_t a, std::uint8_t b);
std::uint8_t gf256_inv(std::uint8_t a);  // inv(0) = 0

}  // namespace chartprov::keys
