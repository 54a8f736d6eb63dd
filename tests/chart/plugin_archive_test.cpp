#include <gtest/gtest.h>

#include "chart/archive_reader.hpp"
#include "chart/plugin_yaml.hpp"
#include "support/test_support.hpp"

using namespace chartprov;

TEST(PluginArchive, RefusedUnlessAllowed) {
  const auto path = test::data("helm/generated/plugin/signed/demo-plugin-0.1.0.tgz");
  const auto chart_only = chart::read_chart_archive(path);
  ASSERT_FALSE(chart_only.ok());
  EXPECT_NE(chart_only.error().message.find("Chart.yaml"), std::string::npos);

  chart::ArchiveLimits limits;
  limits.allow_plugin = true;
  const auto plugin = chart::read_chart_archive(path, limits);
  ASSERT_TRUE(plugin.ok()) << plugin.error().message;
  EXPECT_TRUE(plugin->is_plugin);
  EXPECT_EQ(plugin->metadata.name, "demo-plugin");
  EXPECT_EQ(plugin->metadata.version, "0.1.0");
}

TEST(PluginArchive, ChartsAreNotPlugins) {
  chart::ArchiveLimits limits;
  limits.allow_plugin = true;
  const auto c = chart::read_chart_archive(test::data("helm/generated/cases/ok-helm-rsa3072/demo-0.1.0.tgz"), limits);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_FALSE(c->is_plugin);
}

TEST(PluginYaml, RequiresNameAndSemver) {
  EXPECT_TRUE(chart::parse_plugin_yaml("name: p\nversion: 1.2.3\n").ok());
  EXPECT_FALSE(chart::parse_plugin_yaml("version: 1.2.3\n").ok());
  EXPECT_FALSE(chart::parse_plugin_yaml("name: p\nversion: one\n").ok());
  EXPECT_FALSE(chart::parse_plugin_yaml("name: p\nname: q\nversion: 1.2.3\n").ok());
  EXPECT_FALSE(chart::parse_plugin_yaml("- a\n").ok());
}
