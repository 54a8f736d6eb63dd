// policy.yaml's namespaces: bindings, through parse_policy: which environment
// a release in a namespace is judged under, and every refusal of a binding.
#include <gtest/gtest.h>

#include <string>

#include "policy/policy.hpp"

namespace chartprov::policy {
namespace {

const char* kEnvironments =
    "environments:\n"
    "  production:\n    mode: enforce\n    rules:\n      - charts: [\"*\"]\n        signers: [\"*\"]\n"
    "  staging:\n    mode: warn\n    rules:\n      - charts: [\"*\"]\n        signers: [\"*\"]\n";

Result<Policy> parse_with(const std::string& namespaces) {
  return parse_policy("version: 1\n" + namespaces + kEnvironments, "policy.yaml");
}

std::string error_of(const std::string& namespaces) {
  const auto p = parse_with(namespaces);
  return p.ok() ? std::string("(parsed)") : p.error().message;
}

TEST(NamespaceBinding, TheFirstMatchingBindingNamesTheEnvironment) {
  const auto p = parse_with(
      "namespaces:\n"
      "  - namespace: prod-*\n    environment: production\n"
      "  - namespace: payments\n    environment: production\n"
      "  - namespace: \"*\"\n    environment: staging\n");
  ASSERT_TRUE(p.ok()) << p.error().message;
  ASSERT_EQ(p->namespaces.size(), 3u);
  EXPECT_EQ(p->namespaces[0].line, 3);
  EXPECT_EQ(environment_for_namespace(p->namespaces, "prod-eu"), "production");
  EXPECT_EQ(environment_for_namespace(p->namespaces, "payments"), "production");
  EXPECT_EQ(environment_for_namespace(p->namespaces, "dev"), "staging");
  EXPECT_EQ(environment_for_namespace(p->namespaces, ""), std::nullopt);
}

TEST(NamespaceBinding, ANamespaceNoBindingMatchesHasNoEnvironment) {
  const auto p = parse_with("namespaces:\n  - namespace: prod-*\n    environment: production\n");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(environment_for_namespace(p->namespaces, "production"), std::nullopt);  // not prod-*
  EXPECT_EQ(environment_for_namespace(p->namespaces, "prod"), std::nullopt);
  EXPECT_EQ(environment_for_namespace(p->namespaces, "PROD-EU"), std::nullopt);  // not a namespace name
}

TEST(NamespaceBinding, APolicyWithoutBindingsBindsNothing) {
  const auto p = parse_with("");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_TRUE(p->namespaces.empty());
  EXPECT_EQ(environment_for_namespace(p->namespaces, "default"), std::nullopt);
}

TEST(NamespaceBinding, EveryMalformedBindingIsRefusedWithItsLine) {
  const struct {
    std::string yaml, message;
  } cases[] = {
      {"namespaces: production\n", "policy.yaml:2: namespaces: must list"},
      {"namespaces: []\n", "namespaces: must list"},
      {"namespaces:\n  - prod\n", "policy.yaml:3: a namespaces: entry is a mapping"},
      {"namespaces:\n  - namespace: prod\n    env: production\n", "policy.yaml:4: unknown key \"env\""},
      {"namespaces:\n  - namespace: prod\n", "needs environment:"},
      {"namespaces:\n  - environment: production\n", "needs namespace:"},
      {"namespaces:\n  - namespace: [a, b]\n    environment: production\n", "must be a single, non-empty value"},
      {"namespaces:\n  - namespace: Prod\n    environment: production\n", "is not a glob over namespace names"},
      {"namespaces:\n  - namespace: prod/x\n    environment: production\n", "is not a glob over namespace names"},
      {"namespaces:\n  - namespace: \"prod-[\"\n    environment: production\n", "is not a glob over namespace names"},
      {"namespaces:\n  - namespace: prod\n    environment: \"*\"\n", "a named environment, not \"*\""},
      {"namespaces:\n  - namespace: prod\n    environment: Production\n",
       "bound to environment Production, which environments: does not name"},
      {"namespaces:\n  - namespace: prod\n    environment: qa\n", "which environments: does not name"},
      {"namespaces:\n  - namespace: prod\n    environment: production\n"
       "  - namespace: prod\n    environment: staging\n",
       "policy.yaml:5: namespace \"prod\" is bound twice"},
      {"namespaces:\n  - namespace: \"*\"\n    environment: staging\n"
       "  - namespace: prod\n    environment: production\n",
       "comes after \"*\""},
  };
  for (const auto& c : cases) {
    const std::string got = error_of(c.yaml);
    EXPECT_NE(got.find(c.message), std::string::npos) << c.yaml << "\n got: " << got;
  }
}

TEST(NamespaceBinding, TooManyBindingsAreRefused) {
  std::string yaml = "namespaces:\n";
  for (std::size_t i = 0; i <= kMaxNamespaceBindings; ++i) {
    yaml += "  - namespace: ns-" + std::to_string(i) + "\n    environment: production\n";
  }
  EXPECT_NE(error_of(yaml).find("more than 256 namespace bindings"), std::string::npos) << error_of(yaml);
}

TEST(NamespaceBinding, AnUnknownTopLevelKeyStillNamesTheKnownOnes) {
  EXPECT_NE(error_of("namespace:\n  - namespace: a\n    environment: production\n")
                .find("unknown key \"namespace\" (expected version, environments, namespaces)"),
            std::string::npos);
}

}  // namespace
}  // namespace chartprov::policy
