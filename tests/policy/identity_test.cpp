#include "policy/identity.hpp"

#include <gtest/gtest.h>

#include "policy/decision.hpp"
#include "policy/policy.hpp"

namespace chartprov::policy {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

// The identity of conf/happy-path-v0.1 in tests/data/sigstore-keyless (openssl x509 -text).
const char* const kWorkflow =
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
    "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const char* const kGitHub = "https://token.actions.githubusercontent.com";

SignerIdentity gha(std::string subject = kWorkflow, std::string ref = "refs/heads/main") {
  SignerIdentity id;
  id.subject = std::move(subject);
  id.issuer = kGitHub;
  id.claims = {
      {"source-repository-uri", "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon"},
      {"source-repository-ref", std::move(ref)},
      {"build-trigger", "schedule"}};
  return id;
}

Policy parse_ok(const std::string& yaml) {
  auto p = parse_policy(yaml, "policy.yaml");
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message);
  return p.ok() ? *p : Policy{};
}

std::string parse_error(const std::string& yaml) {
  auto p = parse_policy(yaml, "policy.yaml");
  EXPECT_FALSE(p.ok());
  return p.ok() ? "" : p.error().message;
}

std::string rule_with(const std::string& signers) {
  return "version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n      - charts: \"*\"\n"
         "        signers:\n" +
         signers;
}

Evidence keyless(const SignerIdentity& id) {
  Evidence ev;
  ev.chart = "web.tgz";
  ev.name = "web";
  ev.version = "1.0.0";
  EnvelopeEvidence e;
  e.format = "sigstore-bundle";
  e.source = "web.tgz.sigstore.json";
  e.verdict = Verdict::good;
  e.identity = id;
  e.signed_at = kNow - 60;
  e.in_transparency_log = true;
  ev.envelopes.push_back(e);
  return ev;
}

TEST(TextMatch, ExactIsWholeValue) {
  auto m = TextMatch::exact("abc");
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->matches("abc"));
  EXPECT_FALSE(m->matches("abcd"));
  EXPECT_FALSE(m->matches("ab"));
  EXPECT_FALSE(m->matches(""));
}

TEST(TextMatch, RegexpIsAnchoredAtBothEnds) {
  // cosign's --certificate-identity-regexp is unanchored in Go; chartprov anchors it:
  // a prefix of the pattern's match must not pass.
  auto m = TextMatch::regexp(R"(https://github\.com/org/charts/\.github/workflows/release\.yml@refs/tags/v.*)");
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->matches("https://github.com/org/charts/.github/workflows/release.yml@refs/tags/v1.2.3"));
  EXPECT_FALSE(m->matches("https://github.com/org/charts/.github/workflows/release.yml@refs/heads/main"));
  EXPECT_FALSE(
      m->matches("https://evil.example/https://github.com/org/charts/.github/workflows/release.yml@refs/tags/v1"));
  auto partial = TextMatch::regexp("org/charts");
  ASSERT_TRUE(partial.ok());
  EXPECT_FALSE(partial->matches("https://github.com/org/charts"));
}

TEST(TextMatch, RefusesBadPatternsAndValues) {
  EXPECT_FALSE(TextMatch::regexp("(unclosed").ok());
  EXPECT_FALSE(TextMatch::regexp("").ok());
  EXPECT_FALSE(TextMatch::exact("").ok());
  EXPECT_FALSE(TextMatch::exact(std::string(kMaxIdentityText + 1, 'a')).ok());
  auto any = TextMatch::regexp(".*");
  ASSERT_TRUE(any.ok());
  EXPECT_FALSE(any->matches(std::string(kMaxIdentityText + 1, 'a')));  // over-long values never match
}

TEST(IdentityPolicy, ParsesKeylessSignersBesideKeys) {
  const Policy p = parse_ok(rule_with(
      std::string("          - release-team\n          - identity: ") + kWorkflow + "\n            issuer: " + kGitHub +
      "\n            claims:\n              build-trigger: schedule\n"
      "            claims_regexp:\n              source-repository-ref: refs/heads/.*\n"));
  const Rule& r = p.environments.at(0).rules.at(0);
  EXPECT_EQ(r.signers, std::vector<std::string>{"release-team"});
  ASSERT_EQ(r.identities.size(), 1u);
  EXPECT_TRUE(r.identities[0].matches(gha()));
  EXPECT_FALSE(r.identities[0].matches(gha(kWorkflow, "refs/tags/v1")));
}

TEST(IdentityPolicy, RefusesIncompleteOrUnknownIdentities) {
  EXPECT_NE(parse_error(rule_with("          - identity: x\n")).find("needs issuer"), std::string::npos);
  EXPECT_NE(parse_error(rule_with("          - issuer: x\n")).find("needs identity"), std::string::npos);
  EXPECT_NE(parse_error(rule_with("          - identity: x\n            identity_regexp: y\n            issuer: z\n"))
                .find("give one of"),
            std::string::npos);
  EXPECT_NE(parse_error(rule_with("          - identity: x\n            issuer: z\n            subject: y\n"))
                .find("unknown signer key \"subject\""),
            std::string::npos);
  EXPECT_NE(parse_error(rule_with("          - identity: x\n            issuer: z\n            claims:\n"
                                  "              repo: y\n"))
                .find("not a Fulcio claim"),
            std::string::npos);
  EXPECT_NE(
      parse_error(rule_with("          - identity_regexp: \"(\"\n            issuer: z\n")).find("does not compile"),
      std::string::npos);
  EXPECT_EQ(parse_error(rule_with("          - identity: x\n")).rfind("policy.yaml:8:", 0), 0u);
}

TEST(IdentityPolicy, OnlyTheListedIdentityCounts) {
  const Policy p = parse_ok(
      rule_with(std::string("          - identity: ") + kWorkflow + "\n            issuer: " + kGitHub + "\n"));
  EXPECT_TRUE(evaluate(p, "production", keyless(gha()), kNow).allowed);
  SignerIdentity other = gha("https://github.com/attacker/fork/.github/workflows/release.yml@refs/heads/main");
  const Decision d = evaluate(p, "production", keyless(other), kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason_code, "untrusted-signer");
  ASSERT_FALSE(d.reasons.empty());
  EXPECT_NE(d.reasons.back().find("attacker/fork"), std::string::npos);
  SignerIdentity wrong_issuer = gha();
  wrong_issuer.issuer = "https://accounts.google.com";
  EXPECT_FALSE(evaluate(p, "production", keyless(wrong_issuer), kNow).allowed);
}

TEST(IdentityPolicy, AKeyEntryDoesNotAcceptAKeylessEnvelope) {
  const Policy p = parse_ok(rule_with("          - 0123456789abcdef\n"));
  EXPECT_FALSE(evaluate(p, "production", keyless(gha()), kNow).allowed);
}

TEST(IdentityPolicy, TwoIdentitiesAreTwoSigners) {
  const Policy p = parse_ok(rule_with(std::string("          - identity_regexp: https://github.com/.*\n"
                                                  "            issuer: ") +
                                      kGitHub + "\n        threshold: 2\n"));
  Evidence ev = keyless(gha());
  EXPECT_FALSE(evaluate(p, "production", ev, kNow).allowed);  // one identity, twice, is one signer
  ev.envelopes.push_back(ev.envelopes.front());
  EXPECT_FALSE(evaluate(p, "production", ev, kNow).allowed);
  ev.envelopes.back().identity = gha("https://github.com/org/other/.github/workflows/r.yml@refs/heads/main");
  EXPECT_TRUE(evaluate(p, "production", ev, kNow).allowed);
}

}  // namespace
}  // namespace chartprov::policy
