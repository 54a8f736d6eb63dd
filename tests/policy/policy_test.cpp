#include "policy/policy.hpp"

#include <gtest/gtest.h>

#include "policy/decision.hpp"

namespace chartprov::policy {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

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

const char* const kPolicy = R"(version: 1
environments:
  production:
    mode: enforce
    rules:
      - charts: ["web-*", api]
        signers: [release-team, security-team, 0123456789abcdef]
        threshold: 2
        envelopes: [prov, sigstore-bundle]
        max_age: 90d
      - charts: "tools-*"
        require_transparency_log: true
  staging:
    mode: warn
    deny_unmatched: true
    rules:
      - charts: "*"
  dev:
    mode: off
  "*":
    mode: enforce
)";

EnvelopeEvidence good(const std::string& format, const std::string& owner, const std::string& key_id,
                      std::optional<std::int64_t> at = kNow - 86400) {
  EnvelopeEvidence e;
  e.format = format;
  e.source = "chart.tgz." + format;
  e.verdict = Verdict::good;
  e.owner = owner;
  e.key_id = key_id;
  e.signed_at = at;
  return e;
}

Evidence chart(const std::string& name, std::vector<EnvelopeEvidence> envelopes) {
  Evidence ev;
  ev.chart = name + "-1.0.0.tgz";
  ev.name = name;
  ev.version = "1.0.0";
  ev.digest = "sha256:00";
  ev.envelopes = std::move(envelopes);
  return ev;
}

TEST(PolicyParse, ReadsEveryField) {
  const Policy p = parse_ok(kPolicy);
  ASSERT_EQ(p.environments.size(), 4u);
  const Environment& prod = p.environments[0];
  EXPECT_EQ(prod.name, "production");
  EXPECT_EQ(prod.mode, Mode::enforce);
  EXPECT_TRUE(prod.denies_unmatched());
  ASSERT_EQ(prod.rules.size(), 2u);
  EXPECT_EQ(prod.rules[0].charts, (std::vector<std::string>{"web-*", "api"}));
  EXPECT_EQ(prod.rules[0].threshold, 2);
  EXPECT_EQ(prod.rules[0].max_age_seconds, 90 * 86400);
  EXPECT_EQ(prod.rules[0].line, 6);
  EXPECT_EQ(prod.rules[1].signers, (std::vector<std::string>{"*"}));
  EXPECT_TRUE(prod.rules[1].require_transparency_log);
  EXPECT_EQ(p.environments[1].mode, Mode::warn);
  EXPECT_TRUE(p.environments[1].denies_unmatched());
  EXPECT_EQ(find_environment(p, "dev")->name, "dev");
  EXPECT_EQ(find_environment(p, "qa")->name, "*");
  EXPECT_EQ(find_environment(p, "staging")->name, "staging");
}

TEST(PolicyParse, ErrorsNameTheLine) {
  EXPECT_EQ(parse_error("version: 1\nenvironments:\n  production:\n    mode: enforced\n"),
            "policy.yaml:4: mode \"enforced\" is not one of enforce, warn, off");
  EXPECT_EQ(parse_error("version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n      - charts: x\n"
                        "        treshold: 2\n"),
            "policy.yaml:7: unknown rule key \"treshold\" (expected charts, signers, threshold, envelopes, max_age, "
            "require_transparency_log, transparency_log, attestations)");
  EXPECT_NE(parse_error("version: 1\nenvironments:\n  production:\n    rules: []\n")
                .find("policy.yaml:3: environment "
                      "production has no mode"),
            std::string::npos);
  EXPECT_NE(parse_error("version: 2\nenvironments: {}\n").find("policy.yaml:1: policy version 2"), std::string::npos);
  EXPECT_NE(parse_error("version: 1\nenvironments:\n  p:\n    mode: enforce\n    rules:\n      - charts: x\n"
                        "        signers: [a]\n        threshold: 2\n")
                .find("policy.yaml:6: threshold 2 is more than the 1 signers"),
            std::string::npos);
  EXPECT_NE(parse_error("version: 1\nenvironments:\n  p:\n    mode: enforce\n    rules:\n      - charts: x\n"
                        "        max_age: 90x\n")
                .find("policy.yaml:7: max_age"),
            std::string::npos);
  EXPECT_NE(parse_error("version: 1\nenvironments:\n  p:\n    mode: enforce\n    rules:\n      - charts: x\n"
                        "        envelopes: [pgp]\n")
                .find("envelope \"pgp\""),
            std::string::npos);
  EXPECT_NE(parse_error("version: 1\nenvironments:\n  p:\n    mode: enforce\n    deny_unmatched: yes\n")
                .find("policy.yaml:5: deny_unmatched must be true or false"),
            std::string::npos);
  EXPECT_NE(parse_error("version: 1\nenvironments:\n  p:\n    mode: enforce\n  p:\n    mode: off\n").find("duplicate"),
            std::string::npos);
  EXPECT_NE(parse_error("version: 1\nenvironments:\n  p:\n    mode: enforce\n    rules:\n      - signers: [a]\n")
                .find("needs charts"),
            std::string::npos);
  EXPECT_NE(parse_error("environments:\n  p:\n    mode: off\n").find("version: 1 is missing"), std::string::npos);
  EXPECT_FALSE(parse_policy("version: [1\n", "policy.yaml").ok());
  EXPECT_FALSE(parse_policy(std::string(kMaxPolicyBytes + 1, ' '), "policy.yaml").ok());
}

TEST(PolicyDecision, KOfNDistinctSigners) {
  const Policy p = parse_ok(kPolicy);
  // One signer of the two required: denied, and the reason says so.
  auto d = evaluate(p, "production", chart("web-a", {good("prov", "release-team", "aa")}), kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(d.blocks());
  EXPECT_EQ(d.reason_code, "threshold");
  EXPECT_NE(d.reasons.at(0).find("needs 2 signer(s), found 1"), std::string::npos);
  // Two envelopes by the same owner are one signer.
  d = evaluate(p, "production",
               chart("web-a", {good("prov", "release-team", "aa"), good("sigstore-bundle", "release-team", "bb")}),
               kNow);
  EXPECT_FALSE(d.allowed);
  // Two owners: allowed, both named.
  d = evaluate(p, "production",
               chart("web-a", {good("prov", "release-team", "aa"), good("sigstore-bundle", "security-team", "bb")}),
               kNow);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.verdict(), "allow");
  EXPECT_EQ(d.signers.size(), 2u);
  EXPECT_EQ(d.rule, "policy.yaml:6 charts [web-*, api]");
  // A key id prefix counts as a signer too.
  d = evaluate(p, "production",
               chart("api", {good("prov", "release-team", "aa"), good("prov", "", "0123456789abcdef99")}), kNow);
  EXPECT_TRUE(d.allowed);
}

TEST(PolicyDecision, EnvelopeKindsAgeAndLog) {
  const Policy p = parse_ok(kPolicy);
  // cosign-blob does not count in this rule.
  auto d =
      evaluate(p, "production",
               chart("web-a", {good("prov", "release-team", "aa"), good("cosign-blob", "security-team", "bb")}), kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.reasons.back().find("does not count cosign-blob"), std::string::npos);
  // Too old.
  d = evaluate(
      p, "production",
      chart("web-a", {good("prov", "release-team", "aa"), good("prov", "security-team", "bb", kNow - 91 * 86400)}),
      kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.reasons.back().find("older than max_age"), std::string::npos);
  // No signing time with a max_age: does not count.
  d = evaluate(p, "production",
               chart("web-a", {good("prov", "release-team", "aa"), good("prov", "security-team", "bb", std::nullopt)}),
               kNow);
  EXPECT_FALSE(d.allowed);
  // tools-*: any trusted signer, but with a log entry.
  auto logged = good("sigstore-bundle", "anyone", "cc");
  d = evaluate(p, "production", chart("tools-x", {logged}), kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason_code, "no-tlog");
  logged.in_transparency_log = true;
  EXPECT_TRUE(evaluate(p, "production", chart("tools-x", {logged}), kNow).allowed);
}

TEST(PolicyDecision, BadEnvelopesAndUnsignedCharts) {
  const Policy p = parse_ok(kPolicy);
  auto bad = good("sigstore-bundle", "", "");
  bad.verdict = Verdict::bad;
  bad.reason = "signature does not verify";
  auto d = evaluate(p, "production", chart("tools-x", {bad}), kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason_code, "bad-signature");
  EXPECT_NE(d.reasons.back().find("signature does not verify"), std::string::npos);
  d = evaluate(p, "production", chart("tools-x", {}), kNow);
  EXPECT_EQ(d.reason_code, "no-envelope");
  Evidence broken;
  broken.chart = "x.tgz";
  broken.problems = {"archive: truncated gzip"};
  d = evaluate(p, "production", broken, kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason_code, "archive");
  EXPECT_EQ(d.reasons, broken.problems);
}

TEST(PolicyDecision, ModesAndUnmatchedCharts) {
  const Policy p = parse_ok(kPolicy);
  // Unmatched in enforce: denied by default.
  auto d = evaluate(p, "production", chart("other", {good("prov", "release-team", "aa")}), kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason_code, "unmatched");
  // warn: a deny that does not block.
  d = evaluate(p, "staging", chart("web-a", {}), kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_FALSE(d.blocks());
  EXPECT_EQ(d.verdict(), "warn");
  // off: nothing checked.
  d = evaluate(p, "dev", chart("web-a", {}), kNow);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.mode, Mode::off);
  // No section and no "*": enforce and deny (fail closed).
  const Policy only_prod = parse_ok("version: 1\nenvironments:\n  production:\n    mode: warn\n");
  d = evaluate(only_prod, "qa", chart("web-a", {good("prov", "x", "aa")}), kNow);
  EXPECT_TRUE(d.blocks());
}

// Issue 14 finding 4: without a policy file no name dodges enforcement.
TEST(PolicyDecision, DefaultPolicyEnforcesEveryEnvironment) {
  const Policy p = default_policy();
  for (const char* env : {"production", "prod", "Production", "PRODUCTION", "prod-eu", "staging", "dev"}) {
    EXPECT_TRUE(evaluate(p, env, chart("any", {}), kNow).blocks()) << env;
    EXPECT_TRUE(check_requested_environment(p, env).ok()) << env;
  }
  EXPECT_TRUE(evaluate(p, "staging", chart("any", {good("cosign-blob", "", "aa", std::nullopt)}), kNow).allowed);
}

TEST(PolicyEnvironment, NamesArePlainAscii) {
  // "prоduction" with a Cyrillic о (U+043E), and other names outside the set.
  EXPECT_NE(parse_error("version: 1\nenvironments:\n  \"pr\xD0\xBE"
                        "duction\":\n    mode: enforce\n")
                .find("policy.yaml:3: environment name"),
            std::string::npos);
  for (const char* bad : {"\"prod eu\"", "\" production\"", "-prod", "\"prod/eu\"", "\"prod\\teu\""}) {
    EXPECT_NE(parse_error(std::string("version: 1\nenvironments:\n  ") + bad + ":\n    mode: enforce\n")
                  .find("environment name"),
              std::string::npos)
        << bad;
  }
  EXPECT_FALSE(check_environment_name(std::string(64, 'a')).ok());
  EXPECT_TRUE(check_environment_name(std::string(63, 'a')).ok());
  EXPECT_TRUE(check_environment_name("Staging_2.eu-1").ok());
}

TEST(PolicyEnvironment, NamesDifferingOnlyByCaseAreRefused) {
  EXPECT_NE(parse_error("version: 1\nenvironments:\n  prod:\n    mode: enforce\n  Prod:\n    mode: off\n")
                .find("policy.yaml:5: environment Prod differs from another environment only by case"),
            std::string::npos);
  const Policy p = parse_ok(kPolicy);
  const auto production = check_requested_environment(p, "Production");
  ASSERT_FALSE(production.ok());
  EXPECT_EQ(production.error().kind, ErrorKind::kUsage);
  EXPECT_NE(production.error().message.find("differs only by case from \"production\""), std::string::npos);
  EXPECT_FALSE(check_requested_environment(p, "DEV").ok());
  EXPECT_TRUE(check_requested_environment(p, "production").ok());
  EXPECT_TRUE(check_requested_environment(p, "qa").ok());
}

TEST(PolicyEnvironment, SurroundingSpacesAreUsageErrors) {
  const Policy p = parse_ok(kPolicy);
  for (const char* env : {"production ", " production", "\tproduction", "production\n", "dev ", "",
                          "pr\xD0\xBE"
                          "duction"}) {
    const auto r = check_requested_environment(p, env);
    ASSERT_FALSE(r.ok()) << env;
    EXPECT_EQ(r.error().kind, ErrorKind::kUsage) << env;
  }
  EXPECT_NE(check_requested_environment(p, "production ").error().message.find("surrounding spaces"),
            std::string::npos);
}

// Warn and off are granted by name only: a look-alike or misspelt name must
// not fall into a lenient "*".
TEST(PolicyEnvironment, TheCatchAllSectionEnforces) {
  for (const char* mode : {"warn", "off"}) {
    EXPECT_NE(parse_error(std::string("version: 1\nenvironments:\n  \"*\":\n    mode: ") + mode + "\n")
                  .find("policy.yaml:3: the \"*\" environment must be in mode enforce"),
              std::string::npos)
        << mode;
  }
  EXPECT_TRUE(parse_policy("version: 1\nenvironments:\n  \"*\":\n    mode: enforce\n", "p").ok());
}

TEST(PolicyAdmission, TheManifestCheckIsRequiredUnlessAnEnvironmentSaysOtherwise) {
  const Policy p = parse_ok(R"(version: 1
environments:
  production:
    mode: enforce
  staging:
    mode: warn
    admission:
      manifest: required
      unreproducible: chart-only
  dev:
    mode: enforce
    admission:
      manifest: chart-only
  "*":
    mode: enforce
    admission: {manifest: required, unreproducible: deny}
)");
  const auto& prod = find_environment(p, "production")->admission;
  EXPECT_EQ(prod.manifest, ManifestCheck::required);
  EXPECT_EQ(prod.unreproducible, UnreproducibleRendering::deny);
  EXPECT_EQ(prod.line, 0);
  const auto& staging = find_environment(p, "staging")->admission;
  EXPECT_EQ(staging.manifest, ManifestCheck::required);
  EXPECT_EQ(staging.unreproducible, UnreproducibleRendering::chart_only);
  EXPECT_EQ(staging.line, 8);
  EXPECT_EQ(find_environment(p, "dev")->admission.manifest, ManifestCheck::chart_only);
  EXPECT_EQ(find_environment(p, "dev")->admission.unreproducible, UnreproducibleRendering::deny);
  EXPECT_EQ(manifest_check_name(ManifestCheck::chart_only), "chart-only");
  EXPECT_EQ(unreproducible_name(UnreproducibleRendering::deny), "deny");
  EXPECT_EQ(default_policy().environments[0].admission.manifest, ManifestCheck::required);
}

TEST(PolicyAdmission, RefusesWhatIsNotAnAdmissionSetting) {
  const std::string head = "version: 1\nenvironments:\n  p:\n    mode: enforce\n    admission:\n";
  EXPECT_EQ(parse_error(head + "      manifest: optional\n"),
            "policy.yaml:6: admission manifest \"optional\" is not one of required, chart-only");
  EXPECT_EQ(parse_error(head + "      unreproducible: allow\n"),
            "policy.yaml:6: admission unreproducible \"allow\" is not one of deny, chart-only");
  EXPECT_EQ(parse_error(head + "      manifests: required\n"),
            "policy.yaml:6: unknown key \"manifests\" in admission of environment p (expected manifest, "
            "unreproducible)");
  EXPECT_EQ(parse_error(head + "      manifest: [required]\n"),
            "policy.yaml:6: manifest must be a single, non-empty value");
  EXPECT_EQ(parse_error("version: 1\nenvironments:\n  p:\n    mode: enforce\n    admission: required\n"),
            "policy.yaml:5: admission must be a mapping (manifest:, unreproducible:)");
  EXPECT_NE(parse_error(head + "      manifest: chart-only\n      unreproducible: chart-only\n")
                .find("policy.yaml:7: admission unreproducible: chart-only applies only with manifest: required"),
            std::string::npos);
  for (const char* weaker : {"manifest: chart-only", "unreproducible: chart-only"}) {
    EXPECT_NE(
        parse_error(std::string("version: 1\nenvironments:\n  \"*\":\n    mode: enforce\n    admission:\n      ") +
                    weaker + "\n")
            .find("policy.yaml:6: the \"*\" environment cannot weaken the admission checks"),
        std::string::npos)
        << weaker;
  }
  EXPECT_NE(parse_error("version: 1\nenvironments:\n  p:\n    mode: enforce\n    admision: {}\n")
                .find("unknown key \"admision\" in environment p (expected mode, deny_unmatched, rules, admission)"),
            std::string::npos);
}

// Issue 14, finding 1: a signer is a key owner, not a key encoding.
const char* const kTwoOf = R"(version: 1
environments:
  production:
    mode: enforce
    rules:
      - charts: "*"
        signers: [SIGNERS]
        threshold: 2
)";

Policy two_of(const std::string& signers) {
  std::string yaml = kTwoOf;
  yaml.replace(yaml.find("SIGNERS"), 7, signers);
  return parse_ok(yaml);
}

const std::string kPrimaryId = "1111111111111111111111111111111111111111111111111111111111111111";
const std::string kSubkeyId = "2222222222222222222222222222222222222222222222222222222222222222";
const std::string kPrimaryFpr = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const std::string kSubkeyFpr = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

EnvelopeEvidence prov_by(const std::string& key_id, const std::string& fpr) {
  EnvelopeEvidence e = good("prov", "CI <ci@example.invalid>", key_id);
  e.fingerprint = fpr;
  return e;
}

TEST(PolicyDecision, APrimaryKeyAndItsSubkeyAreOneSigner) {
  EnvelopeEvidence by_primary = prov_by(kPrimaryId, kPrimaryFpr);
  EnvelopeEvidence by_subkey = prov_by(kSubkeyId, kSubkeyFpr);
  by_subkey.primary_key_id = kPrimaryId;
  by_subkey.primary_fingerprint = kPrimaryFpr;
  for (const std::string& signers : {std::string("\"*\""), kPrimaryFpr + ", " + kSubkeyFpr,
                                     kPrimaryId + ", " + kSubkeyId, kSubkeyFpr + ", " + kPrimaryId}) {
    SCOPED_TRACE(signers);
    for (const bool claims : {true, false}) {
      Evidence ev = chart("web", {by_primary, by_subkey});
      ev.owners_are_claims = claims;
      const auto d = evaluate(two_of(signers), "production", ev, kNow);
      EXPECT_FALSE(d.allowed);
      EXPECT_EQ(d.reason_code, "threshold");
      EXPECT_NE(d.reasons.at(0).find("found 1"), std::string::npos);
      EXPECT_EQ(d.signers.size(), 1u);
    }
  }
  // A subkey's signature answers to its certificate's fingerprint.
  const Policy one = parse_ok(
      "version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n"
      "      - charts: \"*\"\n        signers: [" +
      kPrimaryFpr + "]\n");
  EXPECT_TRUE(evaluate(one, "production", chart("web", {by_subkey}), kNow).allowed);
}

TEST(PolicyDecision, OneKeyByFingerprintAndByKeyIdIsOneSigner) {
  // --keyring ci.pub.gpg --key ci.pub: the .prov names the key by fingerprint
  // and key id, the .sig by key id; the rule lists both names.
  const EnvelopeEvidence prov = prov_by(kPrimaryId, kPrimaryFpr);
  const EnvelopeEvidence sig = good("cosign-blob", "", kPrimaryId, std::nullopt);
  for (const std::string& signers : {std::string("\"*\""), kPrimaryFpr + ", " + kPrimaryId}) {
    SCOPED_TRACE(signers);
    Evidence ev = chart("web", {prov, sig});
    ev.owners_are_claims = true;
    const auto d = evaluate(two_of(signers), "production", ev, kNow);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.reason_code, "threshold");
  }
  // Two keys are two signers.
  Evidence ev = chart("web", {prov, good("cosign-blob", "", kSubkeyId, std::nullopt)});
  ev.owners_are_claims = true;
  EXPECT_TRUE(evaluate(two_of("\"*\""), "production", ev, kNow).allowed);
}

// Issue 14, finding 11: with --keyring an owner is a user id, a claim.
TEST(PolicyDecision, WithAKeyringARuleThatNamesASignerByNameIsRefused) {
  const Policy p = parse_ok(
      "version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n"
      "      - charts: \"*\"\n        signers: [\"Trusted <t@x.invalid>\"]\n");
  Evidence ev = chart("web", {prov_by(kPrimaryId, kPrimaryFpr)});
  ev.envelopes[0].owner = "Trusted <t@x.invalid>";
  EXPECT_TRUE(evaluate(p, "production", ev, kNow).allowed);  // a trust root's owner names its key
  ev.owners_are_claims = true;
  const auto d = evaluate(p, "production", ev, kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason_code, "untrusted-signer");
  EXPECT_NE(d.reasons.at(0).find("names signer \"Trusted <t@x.invalid>\" by name; with --keyring"), std::string::npos);
  // Two keys that claim one user id are two keys, not one owner; with a
  // trust root, one owner's two keys are one signer.
  Evidence two = chart("web", {prov_by(kPrimaryId, kPrimaryFpr), prov_by(kSubkeyId, kSubkeyFpr)});
  two.owners_are_claims = true;
  EXPECT_TRUE(evaluate(two_of("\"*\""), "production", two, kNow).allowed);
  two.owners_are_claims = false;
  EXPECT_FALSE(evaluate(two_of("\"*\""), "production", two, kNow).allowed);
}

// Issue 14: expiry is said ahead of time, once per subject.
TEST(PolicyDecision, WhatCannotBeVerifiedIsDeniedInTheEnvironmentsMode) {
  const Policy p = parse_ok(R"(version: 1
environments:
  production:
    mode: enforce
  staging:
    mode: warn
  dev:
    mode: off
)");
  for (const auto& [env, mode] : {std::pair<std::string, Mode>{"production", Mode::enforce},
                                  {"staging", Mode::warn},
                                  {"dev", Mode::off},
                                  {"elsewhere", Mode::enforce}}) {
    const Decision d = deny_unverifiable(p, env, {"helm rollback redeploys a stored chart"});
    EXPECT_FALSE(d.allowed) << env;
    EXPECT_EQ(d.mode, mode) << env;
    EXPECT_EQ(d.blocks(), mode == Mode::enforce) << env;
    EXPECT_EQ(d.environment, env);
    EXPECT_EQ(d.reason_code, "error");
    EXPECT_EQ(d.reasons, std::vector<std::string>{"helm rollback redeploys a stored chart"});
  }
}

TEST(Expiry, WarnsWithinTheWindowOnly) {
  const std::vector<Expiry> all = {{ExpiryKind::trust_root, "trust root v3", kNow + 29 * 86400},
                                   {ExpiryKind::signing_key, "key a", kNow + 31 * 86400},
                                   {ExpiryKind::signing_key, "key b", kNow - 1},
                                   {ExpiryKind::signing_key, "key c", kNow + 3600},
                                   {ExpiryKind::signing_key, "key c", kNow + 7200}};
  const auto soon = expiring_within(all, kNow, kDefaultExpiryWarningSeconds);
  ASSERT_EQ(soon.size(), 2u);
  EXPECT_EQ(soon[0].subject, "trust root v3");
  EXPECT_EQ(soon[1].subject, "key c");
  EXPECT_EQ(expiry_warning(soon[0], kNow), "trust root v3 expires at 2027-02-13T08:00:00Z, in 29 days");
  EXPECT_EQ(expiry_warning(soon[1], kNow), "key c expires at 2027-01-15T09:00:00Z, in 1 hour");
  EXPECT_EQ(expiry_kind_name(soon[0].kind), "trust-root");
  EXPECT_TRUE(expiring_within(all, kNow, 0).empty());
}

}  // namespace
}  // namespace chartprov::policy
