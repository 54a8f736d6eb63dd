// The shared nesting bound for untrusted JSON: brackets count, brackets in
// strings do not, and a document of any depth is measured without recursion.
#include "util/nesting.hpp"

#include <gtest/gtest.h>

#include <string>

namespace chartprov {
namespace {

std::string nested(std::size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }

TEST(Nesting, CountsArraysAndObjects) {
  EXPECT_FALSE(json_nests_deeper_than(nested(kMaxNestingDepth)));
  EXPECT_TRUE(json_nests_deeper_than(nested(kMaxNestingDepth + 1)));
  EXPECT_TRUE(json_nests_deeper_than(R"({"a":{"b":[1]}})", 2));
  EXPECT_FALSE(json_nests_deeper_than(R"({"a":{"b":[1]}})", 3));
  EXPECT_FALSE(json_nests_deeper_than("[[]][[]][[]]", 2));  // siblings do not add up
}

TEST(Nesting, BracketsInsideStringsDoNotCount) {
  EXPECT_FALSE(json_nests_deeper_than(R"(["[[[[", "{{{{"])", 1));
  EXPECT_FALSE(json_nests_deeper_than(R"(["a\"[[[[", "\\"])", 1));  // escaped quote, escaped backslash
  EXPECT_TRUE(json_nests_deeper_than(R"(["\\", [[]]])", 2));        // the string ended at \\"
}

TEST(Nesting, AnEndlessDocumentIsMeasuredWithoutRecursion) {
  EXPECT_TRUE(json_nests_deeper_than(std::string(4u << 20, '[')));
}

}  // namespace
}  // namespace chartprov
