#include "keys/key_share.hpp"

#include <gtest/gtest.h>

#include "util/encoding.hpp"

namespace chartprov::keys {
namespace {

KeyShare sample() {
  KeyShare s;
  s.threshold = 2;
  s.total = 3;
  s.split_id = Bytes(16, 0xAB);
  s.key_id = Bytes(32, 0x11);
  s.openpgp_created = 1764000000;
  s.user_id = "CI Signer <ci@example.com>";
  s.share = {2, SecretBytes(Bytes{1, 2, 3, 4, 5, 250})};
  return s;
}

TEST(KeyShare, RoundTrips) {
  const std::string text = encode_key_share(sample());
  EXPECT_NE(text.find("Share: 2 of 3, any 2 rebuild the key"), std::string::npos);
  EXPECT_NE(text.find("Key-Id: " + std::string(64, '1')), std::string::npos) << text;
  auto back = decode_key_share(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->threshold, 2);
  EXPECT_EQ(back->total, 3);
  EXPECT_EQ(back->share.x, 2);
  EXPECT_EQ(back->share.y.bytes(), (Bytes{1, 2, 3, 4, 5, 250}));
  EXPECT_EQ(back->split_id, Bytes(16, 0xAB));
  EXPECT_EQ(back->key_id, Bytes(32, 0x11));
  EXPECT_EQ(back->openpgp_created, 1764000000u);
  EXPECT_EQ(back->user_id, "CI Signer <ci@example.com>");
}

TEST(KeyShare, ToleratesCrlfAndSurroundingText) {
  std::string text = "printed 2026-11-25\r\n" + encode_key_share(sample());
  std::string crlf;
  for (const char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  EXPECT_TRUE(decode_key_share(crlf).ok());
}

TEST(KeyShare, EveryMistypedCharacterIsCaught) {
  const std::string text = encode_key_share(sample());
  const auto body = text.find("\n\n") + 2;
  const auto end = text.find("-----END");
  for (std::size_t i = body; i < end; ++i) {
    if (text[i] == '\n') continue;
    std::string bad = text;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(decode_key_share(bad).ok()) << "position " << i;
  }
}

TEST(KeyShare, RefusesTruncatedAndForeignInput) {
  const std::string text = encode_key_share(sample());
  EXPECT_FALSE(decode_key_share(text.substr(0, text.size() / 2)).ok());
  EXPECT_FALSE(decode_key_share("").ok());
  EXPECT_FALSE(
      decode_key_share("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n").ok());
  EXPECT_FALSE(decode_key_share(std::string(70000, 'A')).ok());
  auto no_blank = text;
  no_blank.erase(no_blank.find("\n\n"), 1);
  EXPECT_FALSE(decode_key_share(no_blank).ok());
}

TEST(KeyShare, RefusesOutOfRangeFieldsEvenWithAValidChecksum) {
  auto s = sample();
  s.share.x = 4;  // > total
  EXPECT_FALSE(decode_key_share(encode_key_share(s)).ok());
  s = sample();
  s.threshold = 4;
  EXPECT_FALSE(decode_key_share(encode_key_share(s)).ok());
  s = sample();
  s.share.y = SecretBytes(Bytes{});
  EXPECT_FALSE(decode_key_share(encode_key_share(s)).ok());
}

}  // namespace
}  // namespace chartprov::keys
