// index.yaml of a Helm repository: what verify-repo and mirror read of it.
#include "chart/repo_index.hpp"

#include <gtest/gtest.h>

namespace chartprov::chart {
namespace {

void expect_refused(std::string_view text, const std::string& needle) {
  const auto r = parse_repo_index(text);
  ASSERT_FALSE(r.ok()) << "accepted:\n" << text;
  EXPECT_NE(r.error().message.find(needle), std::string::npos) << "message: " << r.error().message;
}

// What `helm repo index` writes (trimmed), two charts, one with two versions.
constexpr const char* kHelmIndex = R"(apiVersion: v1
entries:
  demo:
  - apiVersion: v2
    appVersion: 1.16.0
    created: "2026-11-25T10:27:13.596550726Z"
    description: A Helm chart for Kubernetes
    digest: 13553b1a3cbc198ae623f78ef6a13a522df8d8c7dcf6ded1815b796bb55a635c
    maintainers:
    - name: someone
      email: a@b.c
    name: demo
    type: application
    urls:
    - demo-0.3.0.tgz
    version: 0.3.0
  - digest: e3c1fb763e2857c274bbeb509852ba89eebb902e4532dca74a9c34b28adfb59b
    name: demo
    urls: [charts/demo-0.2.0.tgz, "https://example.com/demo-0.2.0.tgz"]
    version: "0.2.0"
  other:
  - {name: other, version: 1.0.0, digest: "sha256:00", urls: null}
generated: "2026-11-25T10:27:13.595Z"
serverInfo: {contextPath: /x}
)";

TEST(RepoIndex, ReadsWhatHelmWrites) {
  const auto r = parse_repo_index(kHelmIndex);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->api_version, "v1");
  ASSERT_EQ(r->entries.size(), 3u);
  EXPECT_EQ(r->entries[0].key, "demo");
  EXPECT_EQ(r->entries[0].name, "demo");
  EXPECT_EQ(r->entries[0].version, "0.3.0");
  EXPECT_EQ(r->entries[0].digest, "13553b1a3cbc198ae623f78ef6a13a522df8d8c7dcf6ded1815b796bb55a635c");
  EXPECT_EQ(r->entries[0].urls, std::vector<std::string>{"demo-0.3.0.tgz"});
  EXPECT_EQ(r->entries[0].line, 4);
  EXPECT_EQ(r->entries[1].version, "0.2.0");
  EXPECT_EQ(r->entries[1].urls.size(), 2u);
  EXPECT_EQ(r->entries[2].key, "other");
  EXPECT_EQ(r->entries[2].digest, "sha256:00");
  EXPECT_TRUE(r->entries[2].urls.empty());
}

TEST(RepoIndex, EmptyRepositoryIsFine) {
  const auto r = parse_repo_index("apiVersion: v1\nentries: {}\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->entries.empty());
  EXPECT_TRUE(parse_repo_index("apiVersion: v1\nentries:\n").ok());
}

TEST(RepoIndex, MissingFieldsAreTheEntrysProblemNotTheIndexs) {
  const auto r = parse_repo_index("apiVersion: v1\nentries:\n  a:\n  - version: 1.0.0\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->entries.size(), 1u);
  EXPECT_EQ(r->entries[0].key, "a");
  EXPECT_TRUE(r->entries[0].name.empty());
  EXPECT_TRUE(r->entries[0].digest.empty());
}

TEST(RepoIndex, RefusesGarbage) {
  expect_refused("", "empty");
  expect_refused("just text", "not a mapping");
  expect_refused("- a\n- b\n", "not a mapping");
  expect_refused("entries: {}\n", "no apiVersion");
  expect_refused("apiVersion: v2\nentries: {}\n", "not v1");
  expect_refused("apiVersion: v1\n", "no entries");
  expect_refused("apiVersion: v1\nentries: 5\n", "entries is not a mapping");
  expect_refused("apiVersion: v1\nentries: [a]\n", "entries is not a mapping");
  expect_refused("apiVersion: v1\nentries:\n  a: x\n", "not a list");
  expect_refused("apiVersion: v1\nentries:\n  a: {b: c}\n", "not a list");
  expect_refused("apiVersion: v1\nentries:\n  a: [x]\n", "not a mapping");
  expect_refused("apiVersion: v1\nentries:\n  a: [{name: [x]}]\n", "name is not a string");
  expect_refused("apiVersion: v1\nentries:\n  a: [{digest: {x: y}}]\n", "digest is not a string");
  expect_refused("apiVersion: v1\nentries:\n  a: [{urls: x}]\n", "urls is not a list");
  expect_refused("apiVersion: v1\nentries:\n  a: [{urls: [[x]]}]\n", "a url is not a string");
  expect_refused("apiVersion: v1\nentries:\n  a: []\n  a: []\n", "duplicate key 'a'");
  expect_refused("apiVersion: v1\nentries:\n  a: [{name: a, name: b}]\n", "duplicate key 'name'");
  expect_refused("apiVersion: v1\napiVersion: v1\nentries: {}\n", "duplicate key");
  expect_refused("apiVersion: v1\nentries:\n  a: [&x {name: a}, *x]\n", "aliases");
  expect_refused("apiVersion: v1\nentries:\n  a: [{<<: {name: a}}]\n", "merge keys");
  expect_refused("apiVersion: v1\nentries: {}\n---\napiVersion: v1\n", "more than one YAML document");
  expect_refused("apiVersion: v1\nentries: {a: [{name: \"x\n", "index.yaml: ");
  expect_refused("apiVersion: v1\nentries: {a: [\n", "invalid YAML");
  expect_refused("{[a]: b}\n", "keys must be strings");
}

TEST(RepoIndex, Limits) {
  RepoIndexLimits limits;
  limits.max_entries = 2;
  EXPECT_TRUE(parse_repo_index("apiVersion: v1\nentries: {a: [{}, {}]}\n", limits).ok());
  const auto r = parse_repo_index("apiVersion: v1\nentries: {a: [{}, {}], b: [{}]}\n", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("more than 2 chart versions"), std::string::npos);
  limits = {};
  limits.max_field = 8;
  EXPECT_FALSE(parse_repo_index("apiVersion: v1\nentries: {a: [{name: abcdefghij}]}\n", limits).ok());
  limits = {};
  limits.max_urls = 1;
  EXPECT_FALSE(parse_repo_index("apiVersion: v1\nentries: {a: [{urls: [a, b]}]}\n", limits).ok());
  std::string deep = "apiVersion: v1\nentries: {}\nx: ";
  for (int i = 0; i < 300; ++i) deep += "[";
  EXPECT_FALSE(parse_repo_index(deep).ok());
}

TEST(RepoIndex, RelativeUrlsArePathsInsideTheRepository) {
  EXPECT_EQ(repo_relative_path("demo-0.1.0.tgz"), "demo-0.1.0.tgz");
  EXPECT_EQ(repo_relative_path("charts/demo-1.0.0+build.1.tgz"), "charts/demo-1.0.0+build.1.tgz");
  for (const char* bad :
       {"", "/etc/passwd", "../x.tgz", "a/../../x.tgz", "a//x.tgz", "./x.tgz", "a/./x.tgz", "https://example.com/x.tgz",
        "x%2e.tgz", "x.tgz?y", "x.tgz#y", "a\\x.tgz", "a b.tgz", "x.tgz/", "..", "a/.."}) {
    EXPECT_EQ(repo_relative_path(bad), "") << bad;
  }
}

TEST(RepoIndex, WrittenIndexReadsBack) {
  std::vector<RepoIndexWriteEntry> in = {
      {"v2", "demo", "0.2.0", "1.16.0", "A chart: with \"quotes\"\nand a line", "application", std::string(64, 'a'),
       "demo-0.2.0.tgz", "2026-11-25T10:00:00Z"},
      {"v2", "other", "1.0.0", "", "", "", std::string(64, 'b'), "other-1.0.0.tgz", "2026-11-25T10:00:00Z"},
      {"v1", "demo", "0.1.0", "", "- not: [a list]", "", std::string(64, 'c'), "demo-0.1.0.tgz",
       "2026-11-25T10:00:00Z"},
  };
  const std::string text = write_repo_index(in, "2026-11-25T10:00:00Z");
  const auto r = parse_repo_index(text);
  ASSERT_TRUE(r.ok()) << r.error().message << "\n" << text;
  ASSERT_EQ(r->entries.size(), 3u);
  EXPECT_EQ(r->entries[0].key, "demo");
  EXPECT_EQ(r->entries[0].version, "0.2.0");
  EXPECT_EQ(r->entries[1].key, "demo");  // grouped under its name
  EXPECT_EQ(r->entries[1].version, "0.1.0");
  EXPECT_EQ(r->entries[1].digest, std::string(64, 'c'));
  EXPECT_EQ(r->entries[2].name, "other");
  EXPECT_EQ(r->entries[2].urls, std::vector<std::string>{"other-1.0.0.tgz"});
}

// helm reads index.yaml with Go's YAML: a U+2028 there ends a comment for helm only, so helm
// would see another url or digest for the entry than the one verify-repo checked.
TEST(RepoIndex, TextHelmReadsOtherwiseIsRefused) {
  const std::string head = "apiVersion: v1\nentries:\n  demo:\n  - name: demo\n    version: 0.1.0\n";
  const auto ls = parse_repo_index(head + "    # x\xE2\x80\xA8    digest: \"sha256:00\"\n");
  ASSERT_FALSE(ls.ok());
  EXPECT_EQ(ls.error().message,
            "index.yaml: U+2028 is a line break to helm's YAML parser and not to others; remove it (line 6)");
  EXPECT_FALSE(parse_repo_index(head + "    description: a\rb\n").ok());
  EXPECT_FALSE(parse_repo_index(head + "    description: a\xC2\x85\n").ok());
  EXPECT_FALSE(parse_repo_index(head + "    description: \xEF\xBB\xBFx\n").ok());
  // Non-ASCII text both read alike (the slow path) still passes, CRLF and a leading BOM too.
  const auto ok = parse_repo_index("\xEF\xBB\xBF" + head + "    description: caf\xC3\xA9\r\n");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  ASSERT_EQ(ok->entries.size(), 1u);
  EXPECT_EQ(ok->entries[0].version, "0.1.0");
}

}  // namespace
}  // namespace chartprov::chart
