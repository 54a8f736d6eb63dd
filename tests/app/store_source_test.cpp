// Where the webhook's verified charts come from: what --chart-source accepts
// and refuses, the registry reference a release record's chart name and
// version may become (never a path or a flag), and the environment --env
// binds to the namespaces the policy leaves unbound.
#include "app/admission/store_source.hpp"

#include <gtest/gtest.h>

#include "app/admission/store_set.hpp"
#include "support/test_support.hpp"

namespace chartprov::app {
namespace {

TEST(StoreSource, TellsDirectoriesRepositoriesAndRegistriesApart) {
  test::TempDir dir;
  const auto local = parse_store_source(dir.path().string());
  ASSERT_TRUE(local.ok()) << local.error().message;
  EXPECT_FALSE(local->remote());
  EXPECT_FALSE(local->oci());
  const auto repo = parse_store_source("https://charts.example.com/stable/");
  ASSERT_TRUE(repo.ok());
  EXPECT_TRUE(repo->remote());
  const auto oci = parse_store_source("oci://registry.example.com:5000/platform/charts/");
  ASSERT_TRUE(oci.ok()) << oci.error().message;
  EXPECT_TRUE(oci->oci());
  EXPECT_EQ(oci->registry, "registry.example.com:5000");
  EXPECT_EQ(oci->oci_path, "oci://registry.example.com:5000/platform/charts");
}

TEST(StoreSource, RefusesWhatNamesNoSource) {
  for (const char* bad : {"", "oci://", "oci://host", "oci://host/", "oci://host/charts:1.0", "oci://host/a@sha256:00",
                          "oci://host//charts", "oci://host/ch arts", "/nonexistent/chartprov/source"}) {
    const auto source = parse_store_source(bad);
    EXPECT_FALSE(source.ok()) << bad;
  }
}

TEST(StoreSource, ARecordsChartBecomesAReferenceOnlyWhenItIsAName) {
  const auto oci = parse_store_source("oci://r.example/charts").value();
  EXPECT_EQ(oci_chart_reference(oci, "web-app").value(), "oci://r.example/charts/web-app");
  for (const char* bad : {"", "../evil", "Web", "-x", "a/b", "a:b", "a@b", "a b"}) {
    EXPECT_FALSE(oci_chart_reference(oci, bad).ok()) << bad;
  }
  EXPECT_EQ(oci_chart_tag("1.2.3").value(), "1.2.3");
  EXPECT_EQ(oci_chart_tag("1.2.3+build.7").value(), "1.2.3_build.7");  // as helm push tags it
  for (const std::string& bad : {std::string(), std::string("-1"), std::string("1.0/../x"), std::string("1.0:latest"),
                                 std::string("1.0@sha256"), std::string(129, '1')}) {
    EXPECT_FALSE(oci_chart_tag(bad).ok()) << bad;
  }
}

policy::Policy policy_with(const std::string& namespaces) {
  return policy::parse_policy(
             "version: 1\n" + namespaces +
                 "environments:\n"
                 "  production:\n    mode: enforce\n    rules:\n      - charts: \"*\"\n        signers: \"*\"\n"
                 "  staging:\n    mode: warn\n    rules:\n      - charts: \"*\"\n        signers: \"*\"\n",
             "policy.yaml")
      .value();
}

TEST(BindDefaultEnvironment, BindsWhatThePolicyLeavesUnbound) {
  const auto bound = bind_default_environment(
      policy_with("namespaces:\n  - namespace: prod-*\n    environment: production\n"), "staging");
  ASSERT_TRUE(bound.ok()) << bound.error().message;
  EXPECT_EQ(policy::environment_for_namespace(bound->namespaces, "prod-1").value(), "production");
  EXPECT_EQ(policy::environment_for_namespace(bound->namespaces, "team-a").value(), "staging");

  const auto all = bind_default_environment(
      policy_with("namespaces:\n  - namespace: \"*\"\n    environment: production\n"), "staging");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(policy::environment_for_namespace(all->namespaces, "team-a").value(), "production");  // its "*" wins

  const auto none = bind_default_environment(policy_with(""), "");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(policy::environment_for_namespace(none->namespaces, "team-a").has_value());
  EXPECT_FALSE(bind_default_environment(policy_with(""), "Production").ok());  // differs from a section by case
  EXPECT_FALSE(bind_default_environment(policy_with(""), " staging").ok());
}

}  // namespace
}  // namespace chartprov::app
