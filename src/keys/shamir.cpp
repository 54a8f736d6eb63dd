#include "keys/shamir.hpp"

#include "infra/openssl/random.hpp"

namespace chartprov::keys {

std::uint8_t gf256_mul(std::uint8_t a, std::uint8_t b) {
  std::uint8_t product = 0;
  for (int bit = 0; bit < 8; ++bit) {
    // Masks instead of branches: (0 - lowbit) is 0x00 or 0xFF.
    product ^= static_cast<std::uint8_t>(-(b & 1) & a);
    const auto carry = static_cast<std::uint8_t>(-(a >> 7));
    a = static_cast<std::uint8_t>((a << 1) ^ (0x1B & carry));
    b = static_cast<std::uint8_t>(b >> 1);
  }
  return product;
}

std::uint8_t gf256_inv(std::uint8_t a) {
  // a^254 = a^-1 in GF(2^8) (a^255 = 1); fixed sequence of squarings.
  std::uint8_t result = 1;
  std::uint8_t power = a;
  for (int bit = 0; bit < 8; ++bit) {
    const std::uint8_t take = static_cast<std::uint8_t>(-((254 >> bit) & 1));
    const std::uint8_t multiplied = gf256_mul(result, power);
    result = static_cast<std::uint8_t>((multiplied & take) | (result & ~take));
    power = gf256_mul(power, power);
  }
  return result;
}

Result<std::vector<ShamirShare>> shamir_split(ByteView secret, unsigned threshold, unsigned shares) {
  if (secret.empty()) return usage_error("nothing to split: the secret is empty");
  if (threshold < 1 || shares < 1 || threshold > shares || shares > kMaxShares) {
    return usage_error("need 1 <= threshold <= shares <= 255 (got threshold " + std::to_string(threshold) +
                       ", shares " + std::to_string(shares) + ")");
  }
  // coefficients[j * len + i]: coefficient j+1 of byte i's polynomial.
  SecretBytes coefficients(Bytes((threshold - 1) * secret.size()));
  TRY_STATUS(crypto::random_fill(coefficients.mutable_bytes()));

  std::vector<ShamirShare> out;
  out.reserve(shares);
  for (unsigned index = 1; index <= shares; ++index) {
    const auto x = static_cast<std::uint8_t>(index);
    Bytes y(secret.size());
    for (std::size_t i = 0; i < secret.size(); ++i) {
      // Horner from the highest coefficient down to the secret byte.
      std::uint8_t acc = 0;
      for (unsigned j = threshold - 1; j >= 1; --j) {
        acc = static_cast<std::uint8_t>(gf256_mul(acc, x) ^ coefficients.bytes()[(j - 1) * secret.size() + i]);
      }
      y[i] = static_cast<std::uint8_t>(gf256_mul(acc, x) ^ secret[i]);
    }
    out.push_back({x, SecretBytes(std::move(y))});
  }
  return out;
}

Result<SecretBytes> shamir_combine(const std::vector<const ShamirShare*>& shares) {
  if (shares.empty()) return input_error("no shares given");
  const std::size_t length = shares.front()->y.bytes().size();
  for (std::size_t a = 0; a < shares.size(); ++a) {
    if (shares[a]->x == 0) return input_error("a share has index 0");
    if (shares[a]->y.bytes().size() != length) return input_error("the shares have different lengths");
    for (std::size_t b = a + 1; b < shares.size(); ++b) {
      if (shares[a]->x == shares[b]->x) {
        return input_error("share " + std::to_string(shares[a]->x) + " is given twice");
      }
    }
  }
  Bytes secret(length, 0);
  for (std::size_t i = 0; i < shares.size(); ++i) {
    // Lagrange basis at 0: prod_{j != i} x_j / (x_i ^ x_j).
    std::uint8_t numerator = 1;
    std::uint8_t denominator = 1;
    for (std::size_t j = 0; j < shares.size(); ++j) {
      if (j == i) continue;
      numerator = gf256_mul(numerator, shares[j]->x);
      denominator = gf256_mul(denominator, static_cast<std::uint8_t>(shares[i]->x ^ shares[j]->x));
    }
    const std::uint8_t basis = gf256_mul(numerator, gf256_inv(denominator));
    const auto& y = shares[i]->y.bytes();
    for (std::size_t b = 0; b < length; ++b) secret[b] ^= gf256_mul(basis, y[b]);
  }
  return SecretBytes(std::move(secret));
}

}  // namespace chartprov::keys
