// Go filepath.Match semantics and Helm's .helmignore rules (including its
// unusual negation), known answers from the Go and Helm sources' behaviour.
#include <gtest/gtest.h>

#include "chart/helmignore.hpp"
#include "util/glob.hpp"

namespace chartprov::chart {
namespace {

TEST(Glob, GoMatchKnownAnswers) {
  struct Case {
    const char* pattern;
    const char* name;
    bool match;
  };
  // Mostly the table of Go's path/filepath match_test.go, re-derived.
  const Case cases[] = {
      {"abc", "abc", true},
      {"*", "abc", true},
      {"*c", "abc", true},
      {"a*", "a", true},
      {"a*", "abc", true},
      {"a*", "ab/c", false},
      {"a*/b", "abc/b", true},
      {"a*/b", "a/c/b", false},
      {"a*b*c*d*e*/f", "axbxcxdxe/f", true},
      {"a*b*c*d*e*/f", "axbxcxdxexxx/f", true},
      {"a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false},
      {"a*b*c*d*e*/f", "axbxcxdxexxx/fff", false},
      {"a*b?c*x", "abxbbxdbxebxczzx", true},
      {"a*b?c*x", "abxbbxdbxebxczzy", false},
      {"ab[c]", "abc", true},
      {"ab[b-d]", "abc", true},
      {"ab[e-g]", "abc", false},
      {"ab[^c]", "abc", false},
      {"ab[^b-d]", "abc", false},
      {"ab[^e-g]", "abc", true},
      {"a\\*b", "a*b", true},
      {"a\\*b", "ab", false},
      {"a?b", "a☺b", true},
      {"a[^a]b", "a☺b", true},
      {"a???b", "a☺b", false},
      {"a[^a][^a][^a]b", "a☺b", false},
      {"[a-ζ]*", "α", true},
      {"*[a-ζ]", "A", false},
      {"a?b", "a/b", false},
      {"a*b", "a/b", false},
      {"[\\]a]", "]", true},
      {"[\\-]", "-", true},
      {"[x\\-]", "x", true},
      {"[x\\-]", "-", true},
      {"[x\\-]", "z", false},
      {"[\\-x]", "x", true},
      {"[\\-x]", "-", true},
      {"[\\-x]", "a", false},
      {"*x", "xxx", true},
      {".*", ".helmignore", true},
      {"*.yaml", "values.yaml", true},
      {"*.yaml", "templates/a.yaml", false},
      {"templates/.?*", "templates/.hidden", true},
      {"templates/.?*", "templates/.", false},
      {"templates/.?*", "templates/a/.b", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(glob_match(c.pattern, c.name), c.match) << c.pattern << " vs " << c.name;
  }
}

TEST(Glob, MalformedPatterns) {
  for (const char* bad :
       {"[]a]", "[-]", "[x-]", "[-x]", "\\", "[a-b-c]", "[", "[^", "[^bc", "a[", "*x[", "[\\", "a\\", "abc[", "x[a-"}) {
    EXPECT_FALSE(check_glob(bad).ok()) << bad;
    EXPECT_FALSE(glob_match(bad, "a")) << bad;
  }
  for (const char* good : {"a", "*", "[a-z]*", "\\[", "a]", "[]]"}) {
    if (std::string_view(good) == "[]]") {
      EXPECT_FALSE(check_glob(good).ok());  // an empty class is malformed in Go
      continue;
    }
    EXPECT_TRUE(check_glob(good).ok()) << good;
  }
}

HelmIgnore rules(const std::string& text) {
  auto r = HelmIgnore::parse(text);
  EXPECT_TRUE(r.ok()) << r.error().message;
  HelmIgnore h = r.ok() ? std::move(r).value() : HelmIgnore();
  h.add_defaults();
  return h;
}

TEST(HelmIgnore, BaseNamesPathsAndDirectories) {
  const HelmIgnore h = rules("# comment\n\n  *.bak  \nsecret/\n/rootonly.txt\ndocs/*.md\r\n.git\n");
  EXPECT_TRUE(h.ignored("a.bak", false));
  EXPECT_TRUE(h.ignored("templates/deep/a.bak", false));  // no slash: base name anywhere
  EXPECT_TRUE(h.ignored("secret", true));
  EXPECT_FALSE(h.ignored("secret", false));  // trailing '/': directories only
  EXPECT_TRUE(h.ignored("sub/secret", true));
  EXPECT_TRUE(h.ignored("rootonly.txt", false));
  EXPECT_FALSE(h.ignored("x/rootonly.txt", false));
  EXPECT_TRUE(h.ignored("docs/readme.md", false));
  EXPECT_FALSE(h.ignored("docs/deep/readme.md", false));  // '*' does not cross '/'
  EXPECT_TRUE(h.ignored(".git", true));
  EXPECT_TRUE(h.ignored(".git", false));
  EXPECT_FALSE(h.ignored("# comment", false));
  EXPECT_FALSE(h.ignored("Chart.yaml", false));
  EXPECT_FALSE(h.ignored(".", true));
  EXPECT_FALSE(h.ignored("", true));
  // The default rule: hidden files directly in templates/.
  EXPECT_TRUE(h.ignored("templates/.hidden", false));
  EXPECT_FALSE(h.ignored("templates/sub/.hidden", false));
  EXPECT_FALSE(h.ignored(".hidden", false));
}

TEST(HelmIgnore, NegationIgnoresWhatDoesNotMatch) {
  // Helm's rule: a negated pattern ignores every path that does not match it.
  const HelmIgnore h = rules("!*.yaml\n");
  EXPECT_FALSE(h.ignored("values.yaml", false));
  EXPECT_TRUE(h.ignored("README.md", false));
  EXPECT_TRUE(h.ignored("templates", true));  // so the directory is skipped
  // A matching negated rule falls through to the next rules.
  const HelmIgnore h2 = rules("!*.yaml\nsecret.yaml\n");
  EXPECT_TRUE(h2.ignored("secret.yaml", false));
  EXPECT_FALSE(h2.ignored("values.yaml", false));
  // Negated directory rule: every non-directory is ignored.
  const HelmIgnore h3 = rules("!templates/\n");
  EXPECT_TRUE(h3.ignored("Chart.yaml", false));
  EXPECT_FALSE(h3.ignored("templates", true));
  EXPECT_TRUE(h3.ignored("charts", true));
}

TEST(HelmIgnore, ParseErrors) {
  const auto star = HelmIgnore::parse("ok\n**/x\n");
  ASSERT_FALSE(star.ok());
  EXPECT_EQ(star.error().message, ".helmignore line 2: double-star (**) syntax is not supported");
  const auto bad = HelmIgnore::parse("[oops\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, ".helmignore line 1: bad pattern '[oops': syntax error in pattern");
  EXPECT_TRUE(HelmIgnore::parse("\xEF\xBB\xBF*.tmp\n").ok());
  const auto bom = rules("\xEF\xBB\xBF*.tmp\n");
  EXPECT_TRUE(bom.ignored("x.tmp", false));
}

}  // namespace
}  // namespace chartprov::chart
