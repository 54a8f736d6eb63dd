// What in a verified chart's templates makes its rendering not reproducible
// (release/template_scan.hpp): calls inside Go template actions only.
#include "release/template_scan.hpp"

#include <gtest/gtest.h>

#include "release/release_test_support.hpp"

namespace chartprov::release {
namespace {

std::vector<std::string> names(std::string_view text) {
  TemplateScan scan;
  scan_template_text(text, "c/templates/x.yaml", scan);
  std::vector<std::string> out;
  for (const auto& f : scan.findings) out.push_back(f.name);
  return out;
}

using V = std::vector<std::string>;

TEST(TemplateScan, FindsCallsInsideActions) {
  EXPECT_EQ(names("password: {{ randAlphaNum 16 | b64enc }}"), V{"randAlphaNum"});
  EXPECT_EQ(names("{{- $s := lookup \"v1\" \"Secret\" .Release.Namespace \"x\" -}}"), V{"lookup"});
  EXPECT_EQ(names("at: {{ now | date \"2006-01-02\" }}"), (V{"now", "date"}));
  EXPECT_EQ(names("{{ (genCA \"x\" 365).Cert }}{{ uuidv4 }}{{ getHostByName \"a\" }}"),
            (V{"genCA", "uuidv4", "getHostByName"}));
  EXPECT_EQ(names("{{randInt 0 9}}"), V{"randInt"});
  EXPECT_EQ(names("{{ randAlpha 3 }}{{ randAlpha 4 }}"), V{"randAlpha"});  // once per template
}

TEST(TemplateScan, IgnoresWhatIsNotACall) {
  EXPECT_TRUE(names("description: available now, lookup the date\n").empty());  // outside actions
  EXPECT_TRUE(names("{{/* now we lookup the date */}}").empty());
  EXPECT_TRUE(names("{{- /* randAlphaNum */ -}}").empty());
  EXPECT_TRUE(names("{{ include \"now\" . }}{{ `lookup` }}{{ 'n' }}").empty());
  EXPECT_TRUE(names("{{ .Values.now }}{{ $.Values.lookup }}{{ $now := 1 }}{{ $now }}").empty());
  EXPECT_TRUE(names("{{ printf \"}} now {{\" }}").empty());  // "}}" inside a string does not end the action
  EXPECT_TRUE(names("{{ 1e5 }}{{ 0x1F }}").empty());
  EXPECT_TRUE(names("{{ nowhere }}{{ dated }}").empty());
}

TEST(TemplateScan, FindsTheRevisionAndTheInstallFlags) {
  TemplateScan scan;
  scan_template_text("rev: {{ .Release.Revision }}", "c/templates/a.yaml", scan);
  scan_template_text("rev: {{ $.Release.Revision }}{{ index .Release \"Revision\" }}", "c/templates/b.yaml", scan);
  ASSERT_EQ(scan.findings.size(), 2u);
  EXPECT_EQ(scan.findings[0].cause, Unreproducible::kRevision);
  EXPECT_EQ(scan.findings[0].name, ".Revision");
  EXPECT_EQ(scan.findings[1].path, "c/templates/b.yaml");
  EXPECT_FALSE(scan.reads_install_flags);
  scan_template_text("{{ if .Release.IsUpgrade }}x{{ end }}", "c/templates/c.yaml", scan);
  EXPECT_TRUE(scan.reads_install_flags);
}

TEST(TemplateScan, NamesTemplatesAsTheManifestDoes) {
  VerifiedChart chart;
  chart.metadata.name = "parent";
  chart.templates.push_back({"templates/z.yaml", to_bytes("{{ now }}")});
  chart.templates.push_back(
      {"templates/_helpers.tpl", to_bytes("{{ define \"x\" }}{{ lookup \"v1\" \"A\" \"\" \"\" }}{{ end }}")});
  VerifiedChart sub;
  sub.metadata.name = "sub";
  sub.templates.push_back({"templates/secret.yaml", to_bytes("{{ randAscii 8 }}")});
  chart.subcharts.push_back(sub);
  const TemplateScan scan = scan_templates(chart);
  ASSERT_EQ(scan.findings.size(), 3u);
  EXPECT_EQ(scan.findings[0].path, "parent/templates/_helpers.tpl");
  EXPECT_EQ(scan.findings[0].cause, Unreproducible::kClusterState);
  EXPECT_EQ(scan.findings[1].path, "parent/templates/z.yaml");
  EXPECT_EQ(scan.findings[1].cause, Unreproducible::kClock);
  EXPECT_EQ(scan.findings[2].path, "parent/charts/sub/templates/secret.yaml");
  EXPECT_EQ(scan.findings[2].cause, Unreproducible::kRandom);
}

TEST(TemplateScan, TheTrustedChartsOfTheVectorsAreReproducible) {
  for (const auto& chart : test::trusted_charts()) {
    const TemplateScan scan = scan_templates(chart);
    EXPECT_TRUE(scan.findings.empty()) << chart.metadata.name << ": " << scan.findings[0].name;
    EXPECT_FALSE(scan.reads_install_flags) << chart.metadata.name;
  }
}

}  // namespace
}  // namespace chartprov::release
