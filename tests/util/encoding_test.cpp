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

namespace {

// The decoder as it was before its four-character fast path: one character
// at a time. The fast path must give the same bytes and the same refusals.
Result<Bytes> reference_base64_decode(std::string_view text) {
  static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  Bytes out;
  std::uint32_t acc = 0;
  int bits = 0, quad = 0, pad = 0;
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c == '=') {
      if (quad < 2) return input_error("invalid base64 padding");
      ++pad;
      quad = (quad + 1) % 4;
      continue;
    }
    if (pad > 0) return input_error("base64 data after padding");
    const auto v = kAlphabet.find(c);
    if (v == std::string::npos) return input_error("invalid base64 character");
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    quad = (quad + 1) % 4;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xff));
    }
  }
  if (quad != 0) return input_error("truncated base64 data");
  if (pad > 2) return input_error("invalid base64 padding");
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return input_error("non-canonical base64 data");
  return out;
}

}  // namespace

TEST(Base64, TheFastPathDecodesAsOneCharacterAtATime) {
  std::uint32_t seed = 12345;
  const auto next = [&] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff; };
  const std::string noise = "ABCxyz019+/=\n \t!-_";
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    if (round % 2 == 0) {  // a valid encoding, then a few characters changed, inserted or cut
      Bytes data(next() % 40);
      for (auto& b : data) b = static_cast<std::uint8_t>(next());
      text = base64_encode(data);
      for (unsigned k = next() % 3; k > 0 && !text.empty(); --k) {
        const std::size_t at = next() % text.size();
        switch (next() % 3) {
          case 0: text[at] = noise[next() % noise.size()]; break;
          case 1: text.insert(at, 1, noise[next() % noise.size()]); break;
          default: text.erase(at, 1); break;
        }
      }
    } else {  // any string of base64 characters, padding, spaces and garbage
      for (unsigned k = next() % 24; k > 0; --k) text += noise[next() % noise.size()];
    }
    const auto fast = base64_decode(text);
    const auto slow = reference_base64_decode(text);
    ASSERT_EQ(fast.ok(), slow.ok()) << text;
    if (fast.ok()) {
      ASSERT_EQ(*fast, *slow) << text;
    } else {
      ASSERT_EQ(fast.error().message, slow.error().message) << text;
    }
  }
}
