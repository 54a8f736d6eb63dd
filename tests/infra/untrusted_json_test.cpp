// JSON from outside is parsed within the one nesting bound: a deeper document
// is a discarded value, never a crash in a later walk (dump, comparison).
#include "infra/json/untrusted_json.hpp"

#include <gtest/gtest.h>

#include <string>

#include "util/nesting.hpp"

namespace chartprov {
namespace {

std::string nested(std::size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }

TEST(UntrustedJson, ParsesWithinTheBound) {
  const auto j = parse_untrusted_json(nested(kMaxNestingDepth));
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j.dump().size(), 2 * kMaxNestingDepth);
  const auto strings = parse_untrusted_json(std::string_view(R"({"a":"[[[["})"));
  ASSERT_TRUE(strings.is_object());
  EXPECT_EQ(strings.at("a").get<std::string>(), std::string("[[[["));
}

TEST(UntrustedJson, DeeperDocumentsAndNonJsonAreDiscarded) {
  EXPECT_TRUE(parse_untrusted_json(nested(kMaxNestingDepth + 1)).is_discarded());
  EXPECT_TRUE(parse_untrusted_json(nested(400000)).is_discarded());
  EXPECT_TRUE(parse_untrusted_json(std::string_view("{")).is_discarded());
  const std::string bytes = "[1]";
  EXPECT_FALSE(parse_untrusted_json(as_bytes(bytes)).is_discarded());
}

}  // namespace
}  // namespace chartprov
