#include "util/utf8.hpp"

#include <gtest/gtest.h>

using namespace chartprov;

TEST(Utf8, DecodesEachLength) {
  EXPECT_EQ(decode_utf8("a")->cp, U'a');
  EXPECT_EQ(decode_utf8("\xc3\xa9")->cp, U'\u00e9');
  EXPECT_EQ(decode_utf8("\xe2\x80\xa8x")->length, 3u);
  EXPECT_EQ(decode_utf8("\xf0\x9f\x94\x8f")->cp, U'\U0001F50F');
  EXPECT_FALSE(decode_utf8("").has_value());
}

TEST(Utf8, RefusesWhatIsNotStrictUtf8) {
  EXPECT_TRUE(is_utf8(""));
  EXPECT_TRUE(is_utf8("https://token.actions.githubusercontent.com"));
  EXPECT_TRUE(is_utf8("caf\xc3\xa9"));
  EXPECT_FALSE(is_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(is_utf8("\xe0\x80\xaf"));      // overlong, 3 bytes
  EXPECT_FALSE(is_utf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(is_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(is_utf8("caf\xc3"));           // truncated
  EXPECT_FALSE(is_utf8("\x80"));              // continuation first
  EXPECT_FALSE(is_utf8("\xff"));
}
