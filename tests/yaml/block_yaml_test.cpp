// The block-YAML fast path against yaml-cpp: for the documents it takes, the
// same events with the same marks; for the rest, kUnsupported; and the parsers
// built on it (Chart.yaml, .prov metadata, index.yaml) give the same results
// and the same refusals either way.
#include "yaml/block_yaml.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "chart/chart_yaml.hpp"
#include "chart/repo_index.hpp"
#include "support/test_support.hpp"
#include "support/yaml_events.hpp"
#include "yaml/yaml_tree.hpp"

namespace chartprov::chart {
namespace {

using yaml::parse_yaml_document;

using test::block_yaml_events;
using test::block_yaml_stream_events;
using test::yaml_cpp_events;

void expect_same_as_yaml_cpp(const std::string& text) {
  const auto fast = block_yaml_events(text);
  ASSERT_TRUE(fast.has_value()) << "the fast path declined:\n" << text;
  const auto reference = yaml_cpp_events(text);
  ASSERT_TRUE(reference.has_value()) << "yaml-cpp refused:\n" << text;
  EXPECT_EQ(*fast, *reference) << text;
  EXPECT_EQ(block_yaml_stream_events(text), fast) << text;
}

TEST(BlockYaml, GivesYamlCppsEventsForTheDocumentsChartsAreMadeOf) {
  const char* docs[] = {
      // helm create's Chart.yaml, comments and all
      "apiVersion: v2\nname: demo\ndescription: A Helm chart for Kubernetes\n\n# A chart can be either an "
      "'application' or a 'library' chart.\n#\ntype: application\n\n# comment\nversion: 0.1.0\n\nappVersion: "
      "\"1.16.0\"\n",
      // helm's re-marshalled metadata in a .prov (no final LF: the block is cut at \n...\n)
      "apiVersion: v2\nappVersion: 1.16.0\ndescription: A Helm chart for Kubernetes\nname: demo\ntype: "
      "application\nversion: 0.1.0",
      // nested mappings, sequences at their key's indentation and deeper, quoted keys and values
      "name: x\nmaintainers:\n- name: A B\n  email: a@b.invalid\n  url: https://x.invalid/a#b\nkeywords:\n  - "
      "one\n  - 'two'\n  -   \"three\"   # c\nannotations:\n  example.invalid/k: \"true\"\n  \"quoted key\": v\n",
      // nulls: empty values, null words, empty entries, at the end of the input
      "a:\nb: ~\nc: null\nd:\n  - \n  -\n  - x\ne: Null\nf: NULL\ng:   # only a comment\nh:\n",
      // index.yaml as helm repo index writes it
      "apiVersion: v1\nentries:\n  demo:\n  - apiVersion: v2\n    created: \"2026-11-25T10:00:00.1Z\"\n    digest: "
      "3c2f\n    name: demo\n    urls:\n    - demo-0.1.0.tgz\n    version: 0.1.0\ngenerated: \"2026-11-25\"\n",
      // what chartprov's own index writer emits (every string double-quoted)
      "apiVersion: v1\nentries:\n  \"demo\":\n    - apiVersion: \"v2\"\n      name: \"demo\"\n      urls:\n        - "
      "\"demo-0.1.0.tgz\"\n      version: \"0.1.0\"\ngenerated: \"x\"\n",
      // plain scalars with what is allowed inside them
      "a: a#b\nb: http://h:1/p?q=1,2[3]{4}\nc: x  y  \nd: <<\ne: 'a \"b\" c'\nf: \"it's # not a comment\"\ng: "
      "1.10\n",
      // duplicate keys and merge-looking values are the handlers' business, not the parser's
      "a: 1\na: 2\nb: <<\n",
  };
  for (const char* d : docs) expect_same_as_yaml_cpp(d);
}

TEST(BlockYaml, DeclinesWhatIsOutsideItsSubset) {
  const char* docs[] = {
      "",                        // empty
      "# only a comment\n",      // empty document
      "---\na: 1\n",             // document marker
      "a: 1\n---\nb: 2\n",       // two documents
      "a: 1\n...\n",             // document end
      "%YAML 1.2\n---\na: 1\n",  // directive
      "- a\n- b\n",              // root is a sequence
      "just a scalar\n",         // root is a scalar
      " a: 1\n",                 // root indented
      "a: [1, 2]\n",             // flow sequence
      "a: {b: 1}\n",             // flow mapping
      "a: |\n  text\n",          // literal block scalar
      "a: >\n  text\n",          // folded block scalar
      "a: &x 1\nb: *x\n",        // anchor, alias
      "a: !!str 1\n",            // tag
      "a: b\n  c\n",             // multi-line plain scalar
      "a:\n  b\n",               // scalar on a line of its own
      "a: \"b\n  c\"\n",         // multi-line quoted scalar
      "a: \"b\\n\"\n",           // escape
      "a: 'it''s'\n",            // '' escape
      "a: b: c\n",               // mapping in a value
      "a: b:\n",                 //
      "a:\tb\n",                 // tab
      "a: b\r\n",                // CR
      "a: caf\xc3\xa9\n",        // non-ASCII
      "# caf\xc3\xa9\na: 1\n",   // non-ASCII even in a comment
      "a:\n- - x\n",             // nested compact sequence
      "? a\n: b\n",              // complex key
      "null: 1\n",               // null key
      "a b: 1\n",                // key with a space
      "-a: 1\n",                 // key starting with '-'
      "a: -1\n",                 // value starting with an indicator
      "a: @x\n",                 // reserved indicator
      "a: \"x\"y\n",             // text after a quoted scalar
      "a:\n  b: 1\n c: 2\n",     // bad indentation
      "a:\n  - x\n  b: 1\n",     // key after a deeper sequence
      "a:",                      // a null at the end without a LF
  };
  for (const char* d : docs) {
    EXPECT_FALSE(block_yaml_events(d).has_value()) << d;
    EXPECT_FALSE(block_yaml_stream_events(d).has_value()) << d;
  }
}

TEST(BlockYaml, NestingBeyondItsDepthIsLeftToYamlCpp) {
  std::string deep;
  for (int i = 0; i < 70; ++i) deep += std::string(i, ' ') + "a:\n";
  EXPECT_FALSE(block_yaml_events(deep).has_value());
  std::string ok;
  for (int i = 0; i < 60; ++i) ok += std::string(i, ' ') + "a:\n";
  expect_same_as_yaml_cpp(ok);
}

// Every YAML file of the test data that the fast path takes gives yaml-cpp's
// events, and it takes the Chart.yaml files and index files of the vectors.
TEST(BlockYaml, AgreesWithYamlCppOnTheTestData) {
  int taken = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(CHARTPROV_TEST_DATA)) {
    const auto name = e.path().filename().string();
    if (!e.is_regular_file() || !(name.ends_with(".yaml") || name.ends_with(".yml"))) continue;
    if (e.file_size() > (1u << 20)) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    const auto fast = block_yaml_events(text);
    EXPECT_EQ(block_yaml_stream_events(text), fast) << e.path();
    if (!fast) continue;
    ++taken;
    EXPECT_EQ(fast, yaml_cpp_events(text)) << e.path();
  }
  EXPECT_GE(taken, 5);
}

TEST(BlockYaml, ParsersGiveTheSameRefusalsThroughEitherPath) {
  // Both are taken by the fast path up to the handler's refusal; the message is yaml-cpp's path's.
  const auto dup = parse_yaml_document("a: 1\nb: 2\na: 3\n", "Chart.yaml");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().message, "Chart.yaml: duplicate key 'a' (line 3)");
  const auto merge = parse_yaml_document("a:\n  <<: 1\n", "Chart.yaml");
  ASSERT_FALSE(merge.ok());
  EXPECT_EQ(merge.error().message, "Chart.yaml: YAML merge keys (<<) are not allowed (line 2)");
  const auto chart = parse_chart_yaml("apiVersion: v2\nname: demo\nversion: 1.10\n");
  ASSERT_FALSE(chart.ok());
  EXPECT_NE(chart.error().message.find("(line 3)"), std::string::npos) << chart.error().message;
}

TEST(BlockYaml, ChartYamlTreesAreTheSameEitherWay) {
  const std::string text =
      "apiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: \"1.16.0\"\nkeywords:\n- a\n- b\nmaintainers:\n  - "
      "name: x\n    email: y\ndependencies:\n- name: sub\n  version: 0.1.0\n  tags:\n  - t\n";
  ASSERT_TRUE(block_yaml_events(text).has_value());
  const auto md = parse_chart_yaml(text);
  ASSERT_TRUE(md.ok()) << md.error().message;
  EXPECT_EQ(md->name, "demo");
  EXPECT_EQ(md->app_version, "1.16.0");
  ASSERT_EQ(md->keywords.size(), 2u);
  ASSERT_EQ(md->maintainers.size(), 1u);
  EXPECT_EQ(md->maintainers[0].email, "y");
  ASSERT_EQ(md->dependencies.size(), 1u);
  EXPECT_EQ(md->dependencies[0].tags, std::vector<std::string>{"t"});
}

TEST(BlockYaml, IndexFromAFileStreamFallsBackWhenItMust) {
  const test::TempDir dir;
  const auto plain = dir / "plain.yaml";
  const auto folded = dir / "folded.yaml";
  const std::string entry =
      "  demo:\n  - name: demo\n    version: 0.1.0\n    digest: abc\n    urls:\n    - demo-0.1.0.tgz\n";
  test::write_text(plain, "apiVersion: v1\nentries:\n" + entry);
  // a block scalar the fast path does not take: yaml-cpp reads it from the start again
  test::write_text(folded, "apiVersion: v1\nentries:\n" + entry + "    description: |\n      text\n");
  for (const auto& p : {plain, folded}) {
    std::ifstream in(p, std::ios::binary);
    const auto index = parse_repo_index(in);
    ASSERT_TRUE(index.ok()) << index.error().message;
    ASSERT_EQ(index->entries.size(), 1u) << p;
    EXPECT_EQ(index->entries[0].urls, std::vector<std::string>{"demo-0.1.0.tgz"});
    EXPECT_EQ(index->entries[0].line, 4);
  }
}

}  // namespace
}  // namespace chartprov::chart
