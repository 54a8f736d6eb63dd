#include "keys/shamir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

namespace chartprov::keys {
namespace {

TEST(Gf256, KnownProductsFromTheAesField) {
  // FIPS-197 section 4.2: {57} . {83} = {c1}; {57} . {13} = {fe}.
  EXPECT_EQ(gf256_mul(0x57, 0x83), 0xc1);
  EXPECT_EQ(gf256_mul(0x57, 0x13), 0xfe);
  EXPECT_EQ(gf256_mul(0x00, 0xff), 0x00);
  EXPECT_EQ(gf256_mul(0x01, 0xab), 0xab);
}

TEST(Gf256, EveryNonZeroElementHasItsInverse) {
  for (int a = 1; a < 256; ++a) {
    EXPECT_EQ(gf256_mul(static_cast<std::uint8_t>(a), gf256_inv(static_cast<std::uint8_t>(a))), 1) << a;
  }
  EXPECT_EQ(gf256_inv(0), 0);
  EXPECT_EQ(gf256_inv(0x53), 0xca);  // FIPS-197 section 4.2.1
}

Bytes secret_bytes() {
  Bytes s(300);
  std::iota(s.begin(), s.end(), std::uint8_t{7});
  return s;
}

std::vector<const ShamirShare*> pick(const std::vector<ShamirShare>& all, std::initializer_list<int> idx) {
  std::vector<const ShamirShare*> out;
  for (const int i : idx) out.push_back(&all[static_cast<std::size_t>(i)]);
  return out;
}

TEST(Shamir, AnyThresholdSubsetRebuildsTheSecret) {
  const Bytes secret = secret_bytes();
  auto shares = shamir_split(secret, 3, 5);
  ASSERT_TRUE(shares.ok()) << shares.error().message;
  ASSERT_EQ(shares->size(), 5u);
  for (int a = 0; a < 5; ++a) {
    for (int b = a + 1; b < 5; ++b) {
      for (int c = b + 1; c < 5; ++c) {
        auto got = shamir_combine(pick(*shares, {c, a, b}));
        ASSERT_TRUE(got.ok());
        EXPECT_EQ(got->bytes(), secret) << a << b << c;
      }
    }
  }
  auto all = shamir_combine(pick(*shares, {0, 1, 2, 3, 4}));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->bytes(), secret);
}

TEST(Shamir, FewerSharesThanTheThresholdGiveSomethingElse) {
  const Bytes secret = secret_bytes();
  auto shares = shamir_split(secret, 3, 5);
  ASSERT_TRUE(shares.ok());
  auto two = shamir_combine(pick(*shares, {0, 1}));
  ASSERT_TRUE(two.ok());  // interpolation works, the answer is wrong: callers check the key id
  EXPECT_NE(two->bytes(), secret);
}

TEST(Shamir, SharesAreNotTheSecretAndDifferEachSplit) {
  const Bytes secret = secret_bytes();
  auto a = shamir_split(secret, 2, 3);
  auto b = shamir_split(secret, 2, 3);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE((*a)[0].y.bytes(), secret);
  EXPECT_NE((*a)[0].y.bytes(), (*b)[0].y.bytes());
}

TEST(Shamir, ThresholdOneCopiesTheSecret) {
  const Bytes secret = secret_bytes();
  auto shares = shamir_split(secret, 1, 3);
  ASSERT_TRUE(shares.ok());
  for (const auto& s : *shares) EXPECT_EQ(s.y.bytes(), secret);
}

TEST(Shamir, RefusesBadParameters) {
  const Bytes secret = secret_bytes();
  EXPECT_FALSE(shamir_split(secret, 0, 3).ok());
  EXPECT_FALSE(shamir_split(secret, 4, 3).ok());
  EXPECT_FALSE(shamir_split(secret, 2, 256).ok());
  EXPECT_FALSE(shamir_split(Bytes{}, 2, 3).ok());
  EXPECT_TRUE(shamir_split(secret, 255, 255).ok());
}

TEST(Shamir, CombineRefusesDuplicatesAndMismatchedLengths) {
  auto shares = shamir_split(secret_bytes(), 2, 3);
  ASSERT_TRUE(shares.ok());
  EXPECT_FALSE(shamir_combine(pick(*shares, {1, 1})).ok());
  ShamirShare shorter{(*shares)[2].x, SecretBytes(Bytes(10, 1))};
  EXPECT_FALSE(shamir_combine({&(*shares)[0], &shorter}).ok());
  ShamirShare zero{0, SecretBytes(Bytes(300, 1))};
  EXPECT_FALSE(shamir_combine({&(*shares)[0], &zero}).ok());
  EXPECT_FALSE(shamir_combine({}).ok());
}

}  // namespace
}  // namespace chartprov::keys
