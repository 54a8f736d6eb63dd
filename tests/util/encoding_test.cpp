#include "util/encoding.hpp"

#include <gtest/gtest.h>

using namespace chartprov;

TEST(Hex, RoundTrip) {
  const Bytes b = {0x00, 0xab, 0xff};
  EXPECT_EQ(hex_encode(b), "00abff");
  EXPECT_EQ(hex_encode_upper(b), "00ABFF");
  EXPECT_EQ(*hex_decode("00ABff"), b);
}

TEST(Hex, RejectsBadInput) {
  EXPECT_FALSE(hex_decode("abc").ok());
  EXPECT_FALSE(hex_decode("zz").ok());
}

TEST(Base64, KnownAnswers) {
  EXPECT_EQ(base64_encode(as_bytes("")), "");
  EXPECT_EQ(base64_encode(as_bytes("f")), "Zg==");
  EXPECT_EQ(base64_encode(as_bytes("fo")), "Zm8=");
  EXPECT_EQ(base64_encode(as_bytes("foo")), "Zm9v");
  EXPECT_EQ(base64_encode(as_bytes("foobar")), "Zm9vYmFy");
  EXPECT_EQ(as_chars(*base64_decode("Zm9v\nYmFy")), "foobar");
  EXPECT_EQ(as_chars(*base64_decode("Zg==")), "f");
}

TEST(Base64, RejectsGarbled) {
  EXPECT_FALSE(base64_decode("Zg=").ok());
  EXPECT_FALSE(base64_decode("Z").ok());
  EXPECT_FALSE(base64_decode("Zm9v!").ok());
  EXPECT_FALSE(base64_decode("Zg==Zg==").ok());
  EXPECT_FALSE(base64_decode("Zh==").ok());  // non-canonical trailing bits
}
