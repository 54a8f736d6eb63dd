// Chart.yaml parsing and validation, and the strict SemVer checker.
#include "chart/chart_yaml.hpp"

#include <gtest/gtest.h>

#include "chart/semver.hpp"
#include "support/test_support.hpp"
#include "yaml/yaml_tree.hpp"

namespace chartprov::chart {
namespace {

using yaml::parse_yaml_document;
using yaml::yaml11_plain_is_not_string;

void expect_refused(std::string_view text, const std::string& needle) {
  const auto r = parse_chart_yaml(text);
  ASSERT_FALSE(r.ok()) << "accepted:\n" << text;
  EXPECT_NE(r.error().message.find(needle), std::string::npos) << "message: " << r.error().message;
}

std::string chart(const std::string& name, const std::string& version, const std::string& extra = "") {
  return "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n" + extra;
}

TEST(Semver, AcceptsSemver2) {
  for (const char* v : {"0.0.0",
                        "1.2.3",
                        "10.20.30",
                        "1.1.2-prerelease+meta",
                        "1.1.2+meta",
                        "1.1.2+meta-valid",
                        "1.0.0-alpha",
                        "1.0.0-beta",
                        "1.0.0-alpha.beta",
                        "1.0.0-alpha.beta.1",
                        "1.0.0-alpha.1",
                        "1.0.0-alpha0.valid",
                        "1.0.0-alpha.0valid",
                        "1.0.0-rc.1+build.1",
                        "2.0.0-rc.1+build.123",
                        "1.2.3-beta",
                        "10.2.3-DEV-SNAPSHOT",
                        "1.2.3-SNAPSHOT-123",
                        "2.0.0+build.1848",
                        "2.0.1-alpha.1227",
                        "1.0.0-alpha+beta",
                        "1.2.3----RC-SNAPSHOT.12.9.1--.12+788",
                        "1.2.3----R-S.12.9.1--.12+meta",
                        "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
                        "1.0.0-0A.is.legal",
                        "0.2.0+build.7",
                        "18446744073709551615.0.0",
                        "1.0.0+001"}) {
    EXPECT_TRUE(is_valid_semver(v)) << v << ": " << semver_error(v).value_or("");
  }
}

TEST(Semver, RefusesEverythingElse) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "empty version"},
      {"1", "MAJOR.MINOR.PATCH"},
      {"1.2", "MAJOR.MINOR.PATCH"},
      {"1.2.3.4", "MAJOR.MINOR.PATCH"},
      {"v1.2.3", "leading 'v'"},
      {"01.1.1", "leading zero"},
      {"1.01.1", "leading zero"},
      {"1.1.01", "leading zero"},
      {"1.2.3-0123", "leading zero"},
      {"1.2.3-0123.0123", "leading zero"},
      {"1.0.0-alpha..1", "empty pre-release identifier"},
      {"1.0.0-", "empty pre-release"},
      {"1.0.0+", "empty build metadata"},
      {"1.0.0+.x", "empty build metadata identifier"},
      {"1.2.3-alpha_beta", "invalid character '_'"},
      {"1.2.3+b@d", "invalid character '@'"},
      {"1.2.3 ", "numbers"},
      {"a.b.c", "numbers"},
      {"1.2.-3", "numbers"},
      {"-1.2.3", "MAJOR.MINOR.PATCH"},
      {"+invalid", "MAJOR.MINOR.PATCH"},
      {"18446744073709551616.0.0", "too large"},
      {"1.2.3-beta+build+more", "invalid character '+'"},
  };
  for (const auto& [v, why] : cases) {
    const auto e = semver_error(v);
    ASSERT_TRUE(e.has_value()) << "accepted: '" << v << "'";
    EXPECT_NE(e->find(why), std::string::npos) << v << ": " << *e;
  }
}

TEST(ChartYaml, ParsesTheVectorCharts) {
  const auto demo = parse_chart_yaml(test::read_text(test::data("helm/generated/chart/demo/Chart.yaml")));
  ASSERT_TRUE(demo.ok()) << demo.error().message;
  EXPECT_EQ(demo->name, "demo");
  EXPECT_EQ(demo->version, "0.1.0");
  EXPECT_EQ(demo->app_version, "1.16.0");
  EXPECT_EQ(demo->type, "application");
  const auto rich = parse_chart_yaml(test::read_text(test::data("helm/generated/chart/rich/Chart.yaml")));
  ASSERT_TRUE(rich.ok()) << rich.error().message;
  EXPECT_EQ(rich->version, "0.2.0+build.7");
  EXPECT_EQ(rich->description.substr(0, 29), "A deliberately long descripti");
  EXPECT_NE(rich->description.find("café"), std::string::npos);
  EXPECT_FALSE(rich->deprecated);
  EXPECT_EQ(rich->home, "https://example.invalid/rich");
  EXPECT_EQ(rich->icon, "https://example.invalid/icon.png");
  EXPECT_EQ(rich->sources, std::vector<std::string>{"https://example.invalid/src"});
  ASSERT_EQ(rich->annotations.size(), 2u);
  EXPECT_EQ(rich->annotations[0].first, "example.invalid/signed");
  EXPECT_EQ(rich->annotations[0].second, "true");
  EXPECT_EQ(rich->annotations[1].second, "- kind: added\n  description: something\n");
  ASSERT_EQ(rich->dependencies.size(), 1u);
  EXPECT_EQ(rich->dependencies[0].version, "0.1.0");
  EXPECT_EQ(rich->dependencies[0].repository, "");
  const auto sub = parse_chart_yaml(test::read_text(test::data("helm/generated/chart/rich/charts/sub/Chart.yaml")));
  ASSERT_TRUE(sub.ok()) << sub.error().message;
  EXPECT_EQ(sub->name, "sub");
}

TEST(ChartYaml, ValidNames) {
  for (const char* n : {"demo", "my-chart", "my_chart", "chart.v2", "A1", "x", "nginx-ingress", "1password"}) {
    EXPECT_TRUE(parse_chart_yaml(chart(n, "1.0.0")).ok()) << n;
  }
  // Quoted, a numeric-looking name is a string to every parser.
  EXPECT_TRUE(parse_chart_yaml(chart("\"123\"", "1.0.0")).ok());
}

TEST(ChartYaml, InvalidNames) {
  expect_refused(chart("a/b", "1.0.0"), "name: chart name 'a/b' may contain only letters");
  expect_refused(chart("\"..\"", "1.0.0"), "chart name '..' is not allowed");
  expect_refused(chart(".", "1.0.0"), "chart name '.' is not allowed");
  expect_refused(chart("\"my chart\"", "1.0.0"), "may contain only letters");
  expect_refused(chart("\"tab\\there\"", "1.0.0"), "may contain only letters");
  expect_refused(chart("café", "1.0.0"), "may contain only letters");
  expect_refused(chart("a\\b", "1.0.0"), "may contain only letters");
  expect_refused("apiVersion: v2\nversion: 1.0.0\n", "Chart.yaml: name: is required");
  expect_refused("apiVersion: v2\nname:\nversion: 1.0.0\n", "name: is required");
  // Plain scalars that Go's YAML reads as numbers or bools.
  expect_refused(chart("1.10", "1.0.0"),
                 "name: '1.10' is a number, bool or null to Helm's YAML parser; quote it (line 2)");
  expect_refused(chart("yes", "1.0.0"), "quote it");
  expect_refused(chart("0x1F", "1.0.0"), "quote it");
  expect_refused(chart("!!int 12", "1.0.0"), "must be a string, found the tag");
  expect_refused(chart("[a, b]", "1.0.0"), "name: must be a string, found a list (line 2)");
}

TEST(ChartYaml, Versions) {
  EXPECT_TRUE(parse_chart_yaml(chart("demo", "1.0.0-rc.1+build.5")).ok());
  EXPECT_TRUE(parse_chart_yaml(chart("demo", "\"1.0.0\"")).ok());
  expect_refused(chart("demo", "1.0"), "version: '1.0' is a number, bool or null to Helm's YAML parser");
  expect_refused(chart("demo", "\"1.0\""), "version: '1.0' is not SemVer 2.0.0: must be MAJOR.MINOR.PATCH (line 3)");
  expect_refused(chart("demo", "v1.0.0"), "leading 'v'");
  expect_refused(chart("demo", "1.0.01"), "leading zero");
  expect_refused(chart("demo", "1.0.0-"), "empty pre-release");
  expect_refused("apiVersion: v2\nname: demo\n", "version: is required");
}

TEST(ChartYaml, ApiVersionAndType) {
  expect_refused("apiVersion: v3\nname: demo\nversion: 1.0.0\n",
                 "apiVersion: v3 charts are not supported (only v1 and v2) (line 1)");
  expect_refused("apiVersion: v4\nname: demo\nversion: 1.0.0\n", "apiVersion: 'v4' is not valid (must be v1 or v2)");
  expect_refused("name: demo\nversion: 1.0.0\n", "apiVersion: is required (v1 or v2)");
  EXPECT_TRUE(parse_chart_yaml("apiVersion: v1\nname: demo\nversion: 1.0.0\n").ok());
  EXPECT_TRUE(parse_chart_yaml(chart("demo", "1.0.0", "type: library\n")).ok());
  expect_refused(chart("demo", "1.0.0", "type: plugin\n"),
                 "type: 'plugin' is not valid (application or library) (line 4)");
}

TEST(ChartYaml, DuplicateKeysAtAnyLevel) {
  expect_refused(chart("demo", "1.0.0", "name: evil\n"), "Chart.yaml: duplicate key 'name' (line 4)");
  expect_refused(chart("demo", "1.0.0", "annotations:\n  a: 1\n  b: 2\n  a: 3\n"), "duplicate key 'a' (line 7)");
  expect_refused(chart("demo", "1.0.0", "maintainers:\n  - name: x\n    name: y\n"), "duplicate key 'name' (line 6)");
  expect_refused(chart("demo", "1.0.0", "x:\n  y:\n    z: 1\n    z: 2\n"), "duplicate key 'z'");
  expect_refused(chart("demo", "1.0.0", "{version: 2.0.0}: 1\n"), "mapping keys must be strings");
  // Go's JSON decoding folds case: "Name" would be read as "name".
  expect_refused(chart("demo", "1.0.0", "Name: evil\n"),
                 "key 'Name' differs from 'name' only in case (Helm would read it as 'name') (line 4)");
  expect_refused(chart("demo", "1.0.0", "dependencies:\n  - name: a\n    Alias: b\n"),
                 "key 'Alias' differs from 'alias'");
}

TEST(ChartYaml, RefusesAliasesMergeKeysAndSeveralDocuments) {
  expect_refused("apiVersion: v2\nx: &n demo\nname: *n\nversion: 1.0.0\n",
                 "YAML aliases (*name) are not allowed (line 3)");
  expect_refused("apiVersion: v2\nbase: &b\n  name: evil\n<<: *b\nname: demo\nversion: 1.0.0\n", "YAML merge keys");
  expect_refused("apiVersion: v2\n<<: {name: evil}\nname: demo\nversion: 1.0.0\n",
                 "YAML merge keys (<<) are not allowed");
  expect_refused(chart("demo", "1.0.0") + "---\n" + chart("evil", "1.0.0"), "more than one YAML document");
  expect_refused("", "empty document");
  expect_refused("# only a comment\n", "empty document");
  expect_refused("- a\n- b\n", "must be a YAML mapping, found a list");
  expect_refused("just a string\n", "must be a YAML mapping, found a string");
  expect_refused("apiVersion: v2\nname: [unclosed\n", "invalid YAML");
}

TEST(ChartYaml, FieldTypes) {
  expect_refused(chart("demo", "1.0.0", "keywords: one\n"), "keywords: must be a list, found a string (line 4)");
  expect_refused(chart("demo", "1.0.0", "deprecated: maybe\n"), "deprecated: must be true or false");
  expect_refused(chart("demo", "1.0.0", "maintainers:\n  -\n"), "empty or null entries are not allowed");
  expect_refused(chart("demo", "1.0.0", "dependencies:\n  - ~\n"), "entries must be mappings");
  expect_refused(chart("demo", "1.0.0", "annotations:\n  a: [1]\n"), "annotations.a: must be a string, found a list");
  expect_refused(chart("demo", "1.0.0", "dependencies:\n  - name: a\n    alias: bad.alias\n"),
                 "alias 'bad.alias' of 'a' has characters outside [A-Za-z0-9_-]");
  expect_refused(chart("demo", "1.0.0", "dependencies:\n  - name: a\n  - name: a\n"),
                 "more than one dependency with name or alias 'a'");
  expect_refused(
      chart("demo", "1.0.0", "dependencies:\n  - name: a\n    import-values:\n      - {child: x, other: y}\n"),
      "unexpected key 'other'");
  const auto ok = parse_chart_yaml(chart("demo", "1.0.0",
                                         "deprecated: true\nappVersion:\nkeywords: [a, ~]\n"
                                         "dependencies:\n  - name: a\n    enabled: false\n    import-values:\n"
                                         "      - {child: x, parent: y}\n      - plain\n"
                                         "unknownField: {anything: [1, 2]}\n"));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_TRUE(ok->deprecated);
  EXPECT_EQ(ok->app_version, "");
  EXPECT_EQ(ok->keywords, (std::vector<std::string>{"a", ""}));
  ASSERT_EQ(ok->dependencies[0].import_values.size(), 2u);
  EXPECT_TRUE(ok->dependencies[0].import_values[0].is_mapping);
  EXPECT_EQ(ok->dependencies[0].import_values[0].parent, "y");
  EXPECT_EQ(ok->dependencies[0].import_values[1].value, "plain");
}

TEST(ChartYaml, SizeAndDepthLimits) {
  expect_refused(std::string(kMaxChartYamlSize + 1, ' '), "Chart.yaml is 1048577 bytes (limit 1048576)");
  const std::string deep = chart("demo", "1.0.0", "x: " + std::string(5000, '[') + std::string(5000, ']') + "\n");
  const auto r = parse_chart_yaml(deep);
  ASSERT_FALSE(r.ok());  // yaml-cpp's depth guard, caught here
  // Below yaml-cpp's own guard (2000), the project's bound for every YAML tree.
  expect_refused(chart("demo", "1.0.0", "x: " + std::string(129, '[') + std::string(129, ']') + "\n"),
                 "nested deeper than 128 levels");
  EXPECT_TRUE(
      parse_chart_yaml(chart("demo", "1.0.0", "x: " + std::string(100, '[') + std::string(100, ']') + "\n")).ok());
}

TEST(YamlTree, TagsTellPlainFromQuoted) {
  const auto t = parse_yaml_document("a: 1.10\nb: \"1.10\"\nc: !!str 1.10\n", "test");
  ASSERT_TRUE(t.ok()) << t.error().message;
  ASSERT_EQ(t->children.size(), 6u);
  EXPECT_TRUE(t->children[1].is_plain_scalar());
  EXPECT_FALSE(t->children[3].is_plain_scalar());
  EXPECT_EQ(t->children[5].tag, "tag:yaml.org,2002:str");
  EXPECT_EQ(t->children[1].line, 1);
  EXPECT_EQ(t->children[3].line, 2);
}

TEST(YamlTree, Yaml11NonStrings) {
  for (const char* v :
       {"1",  "-1", "+1",  "1.5", "1.10", ".5",    "1e3",  "1_000", "0x1f", "0o17", "0b101", "017", "yes",
        "No", "ON", "off", "y",   "true", "FALSE", "null", "~",     "",     ".inf", "-.Inf", ".NaN"}) {
    EXPECT_TRUE(yaml11_plain_is_not_string(v)) << v;
  }
  for (const char* v : {"demo", "1.2.3", "v1", "1.0.0-rc1", "0x", "1e", "yes-no", "nan", "1.2.3+4", "e5"}) {
    EXPECT_FALSE(yaml11_plain_is_not_string(v)) << v;
  }
}

}  // namespace
}  // namespace chartprov::chart

namespace chartprov::chart {
namespace {

TEST(ChartYaml, ByteOrderMarkAndCrlfAreAccepted) {
  // Helm strips a UTF-8 BOM from every file; YAML itself allows one.
  const auto bom = parse_chart_yaml(
      "\xEF\xBB\xBF"
      "apiVersion: v2\nname: demo\nversion: 1.0.0\n");
  ASSERT_TRUE(bom.ok()) << bom.error().message;
  EXPECT_EQ(bom->api_version, "v2");
  const auto crlf = parse_chart_yaml("apiVersion: v2\r\nname: demo\r\nversion: 1.0.0\r\n");
  ASSERT_TRUE(crlf.ok()) << crlf.error().message;
  EXPECT_EQ(crlf->version, "1.0.0");
}

}  // namespace
}  // namespace chartprov::chart

namespace chartprov::chart {
namespace {

// Each way helm (go-yaml, then encoding/json) could read another name or version from the same
// bytes is refused (docs/CHART-YAML.md); each input here made chartprov read demo 0.1.0 while
// helm read something else.
TEST(ChartYaml, HelmsReadingUnicodeLineBreaksAreRefused) {
  expect_refused(chart("demo", "0.1.0", "# note\xE2\x80\xA8name: payments\n"),
                 "Chart.yaml: U+2028 is a line break to helm's YAML parser and not to others; remove it (line 4)");
  expect_refused(chart("demo", "0.1.0", "description: a\xE2\x80\xA9name: payments\n"), "U+2029 is a line break");
  expect_refused(chart("demo", "0.1.0", "# x\xC2\x85version: 9.9.9\n"), "U+0085 is a line break");
  expect_refused(chart("demo", "0.1.0", "# x\rname: payments\n"), "a CR without LF");
  expect_refused("apiVersion: v2\nname: demo\nversion: 0.1.0\r", "a CR without LF");
}

TEST(ChartYaml, HelmsReadingCharactersItRefusesAreRefused) {
  expect_refused(chart("demo", "0.1.0", "description: \"\xFF\"\n"), "not UTF-8");
  expect_refused(chart("demo", "0.1.0", "description: \xC0\xAE\n"), "not UTF-8");      // overlong '.'
  expect_refused(chart("demo", "0.1.0", "description: \xED\xA0\x80\n"), "not UTF-8");  // a surrogate
  expect_refused(chart("demo", "0.1.0", std::string("description: a\0b\n", 17)), "control character U+0000");
  expect_refused(chart("demo", "0.1.0", "description: a\x7f\n"), "control character U+007F");
  expect_refused(chart("demo", "0.1.0", "description: a\xC2\x9B\n"), "control character U+009B");
  expect_refused(chart("demo", "0.1.0", "description: \xEF\xBB\xBFx\n"), "byte order mark (U+FEFF) after the start");
  // Text both parsers read alike still passes: other Unicode, and U+2028 written as an escape.
  const auto ok = parse_chart_yaml(chart("demo", "0.1.0", "description: \"caf\xC3\xA9 \\L \xF0\x9F\x9A\x80\"\n"));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->description, "caf\xC3\xA9 \xE2\x80\xA8 \xF0\x9F\x9A\x80");
}

TEST(ChartYaml, HelmsReadingFieldNamesFoldedAsGoDoesAreRefused) {
  expect_refused(chart("demo", "0.1.0", "ver\xC5\xBFion: 9.9.9\n"), "only in case (Helm would read it as 'version')");
  expect_refused(chart("demo", "0.1.0", "apiVer\xC5\xBFion: v1\n"), "Helm would read it as 'apiVersion'");
  expect_refused(chart("demo", "0.1.0", "\xE2\x84\xAAubeVersion: \">=1\"\n"), "Helm would read it as 'kubeVersion'");
  expect_refused(chart("demo", "0.1.0", "\"ver\\u017Fion\": 9.9.9\n"), "Helm would read it as 'version'");
  expect_refused(chart("demo", "0.1.0", "NAME: payments\n"), "Helm would read it as 'name'");
  expect_refused(chart("demo", "0.1.0", "dependencies:\n  - name: a\n    ver\xC5\xBFion: 1.0.0\n"),
                 "Helm would read it as 'version'");
  // Keys that only look alike are other keys to Go too.
  EXPECT_TRUE(parse_chart_yaml(chart("demo", "0.1.0", "annotations:\n  versi\xC3\xB3n: x\n")).ok());
}

TEST(ChartYaml, HelmsReadingTaggedKeysAreRefused) {
  expect_refused(chart("demo", "0.1.0", "!!binary bmFtZQ==: payments\n"), "mapping keys must not carry a tag");
  expect_refused(chart("demo", "0.1.0", "!!int 1: x\n"), "mapping keys must not carry a tag");
  EXPECT_TRUE(parse_chart_yaml(chart("demo", "0.1.0", "!!str home: x\n")).ok());
  expect_refused(chart("demo", "0.1.0", "\"n\\x61me\": payments\n"), "duplicate key 'name'");
}

}  // namespace
}  // namespace chartprov::chart
