// no_environment_policy: plain verify (no --env, no --policy) as a policy,
// one per kind of trust material. Each case is what plain verify answered
// before it went through policy::evaluate: a keyring's .prov needs one good
// signature and no bad one; a key needs every envelope it judges to verify;
// a trust root needs one envelope by a listed key, whatever else is there.
#include <gtest/gtest.h>

#include "policy/decision.hpp"
#include "policy/policy.hpp"

namespace chartprov::policy {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

EnvelopeEvidence envelope(const std::string& format, Verdict verdict, const std::string& key_id = "aa00") {
  EnvelopeEvidence e;
  e.format = format;
  e.source = "demo-0.1.0.tgz." + format;
  e.verdict = verdict;
  e.key_id = key_id;
  if (verdict != Verdict::good) e.reason = "why not";
  return e;
}

Evidence chart(std::vector<EnvelopeEvidence> envelopes) {
  Evidence ev;
  ev.chart = "demo-0.1.0.tgz";
  ev.name = "demo";
  ev.version = "0.1.0";
  ev.digest = "sha256:00";
  ev.envelopes = std::move(envelopes);
  return ev;
}

Decision decide(PlainTrust trust, const Evidence& ev) { return evaluate(no_environment_policy(trust), "", ev, kNow); }

std::string all(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + "\n";
  return out;
}

TEST(NoEnvironmentPolicy, IsOneEnforcedEnvironmentNamedEmptyWithOneRuleForEveryChart) {
  for (const auto t : {PlainTrust::trust_root, PlainTrust::keyring, PlainTrust::key, PlainTrust::keyring_and_key}) {
    const Policy p = no_environment_policy(t);
    ASSERT_EQ(p.environments.size(), 1u);
    EXPECT_EQ(p.environments[0].name, "");
    EXPECT_EQ(p.environments[0].mode, Mode::enforce);
    ASSERT_EQ(p.environments[0].rules.size(), 1u);
    EXPECT_EQ(p.environments[0].rules[0].charts, std::vector<std::string>{"*"});
    EXPECT_EQ(p.environments[0].rules[0].threshold, 1);
  }
  // The trust root's wording is the one `verify --trust-dir oci://...` has always printed.
  EXPECT_EQ(no_environment_policy(PlainTrust::trust_root).source, "no environment: one signature by a listed key");
}

TEST(NoEnvironmentPolicy, EveryKindDeniesAChartWithNoEnvelopeOrAProblem) {
  for (const auto t : {PlainTrust::trust_root, PlainTrust::keyring, PlainTrust::key, PlainTrust::keyring_and_key}) {
    const Decision none = decide(t, chart({}));
    EXPECT_FALSE(none.allowed);
    EXPECT_TRUE(none.blocks());
    EXPECT_EQ(none.reason_code, "no-envelope");
    Evidence broken = chart({envelope("prov", Verdict::good)});
    broken.problems.push_back("archive: not a gzip stream");
    const Decision d = decide(t, broken);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.reasons, broken.problems);
  }
}

TEST(NoEnvironmentPolicy, TrustRootCountsOneGoodEnvelopeWhateverLiesBesideIt) {
  EXPECT_TRUE(decide(PlainTrust::trust_root, chart({envelope("prov", Verdict::good)})).allowed);
  const Decision d = decide(PlainTrust::trust_root,
                            chart({envelope("prov", Verdict::bad), envelope("cosign-blob", Verdict::good, "bb00")}));
  EXPECT_TRUE(d.allowed) << all(d.reasons);
  ASSERT_EQ(d.reasons.size(), 1u);
  EXPECT_EQ(d.reasons[0].rfind("not counted: prov ", 0), 0u) << d.reasons[0];
  EXPECT_FALSE(decide(PlainTrust::trust_root, chart({envelope("prov", Verdict::out_of_scope)})).allowed);
  EXPECT_FALSE(decide(PlainTrust::trust_root, chart({envelope("prov", Verdict::unknown_key)})).allowed);
}

TEST(NoEnvironmentPolicy, KeyringNeedsAGoodSignatureAndNoBadOne) {
  EXPECT_TRUE(decide(PlainTrust::keyring, chart({envelope("prov", Verdict::good)})).allowed);
  // A signature by a key the keyring does not hold (or --signer does not pin) is no evidence either way.
  EXPECT_TRUE(
      decide(PlainTrust::keyring, chart({envelope("prov", Verdict::unknown_key), envelope("prov", Verdict::good, "b")}))
          .allowed);
  EXPECT_FALSE(decide(PlainTrust::keyring, chart({envelope("prov", Verdict::unknown_key)})).allowed);
  for (const auto v : {Verdict::bad, Verdict::expired, Verdict::revoked, Verdict::error}) {
    const Decision d =
        decide(PlainTrust::keyring, chart({envelope("prov", Verdict::good), envelope("prov", v, "bb00")}));
    EXPECT_FALSE(d.allowed) << verdict_name(v);
    EXPECT_TRUE(d.blocks());
    ASSERT_FALSE(d.reasons.empty());
    EXPECT_NE(d.reasons[0].find("needs every envelope to verify: prov demo-0.1.0.tgz.prov"), std::string::npos)
        << d.reasons[0];
    EXPECT_NE(d.reason_code, "");
  }
}

TEST(NoEnvironmentPolicy, KeyNeedsEveryEnvelopeItJudgesToVerify) {
  EXPECT_TRUE(decide(PlainTrust::key, chart({envelope("cosign-blob", Verdict::good)})).allowed);
  EXPECT_TRUE(
      decide(PlainTrust::key, chart({envelope("cosign-blob", Verdict::good), envelope("sigstore-bundle", Verdict::good),
                                     envelope("prov", Verdict::good)}))
          .allowed);
  const Decision d = decide(PlainTrust::key,
                            chart({envelope("cosign-blob", Verdict::good), envelope("sigstore-bundle", Verdict::bad)}));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason_code, "bad-signature");
  EXPECT_FALSE(decide(PlainTrust::key, chart({envelope("sigstore-bundle", Verdict::bad)})).allowed);
}

TEST(NoEnvironmentPolicy, KeyringAndKeyNeedAGoodProvAndAGoodCosignEnvelope) {
  EXPECT_TRUE(decide(PlainTrust::keyring_and_key,
                     chart({envelope("prov", Verdict::good, "pgp"), envelope("cosign-blob", Verdict::good)}))
                  .allowed);
  EXPECT_TRUE(decide(PlainTrust::keyring_and_key,
                     chart({envelope("prov", Verdict::good, "pgp"), envelope("sigstore-bundle", Verdict::good)}))
                  .allowed);
  EXPECT_TRUE(decide(PlainTrust::keyring_and_key,
                     chart({envelope("prov", Verdict::good, "pgp"), envelope("oci-cosign", Verdict::good)}))
                  .allowed);
  const Decision no_cosign = decide(PlainTrust::keyring_and_key, chart({envelope("prov", Verdict::good, "pgp")}));
  EXPECT_FALSE(no_cosign.allowed);
  ASSERT_FALSE(no_cosign.reasons.empty());
  EXPECT_NE(no_cosign.reasons[0].find("needs a counted cosign-blob or sigstore-bundle or oci-cosign envelope"),
            std::string::npos)
      << no_cosign.reasons[0];
  const Decision no_prov = decide(PlainTrust::keyring_and_key, chart({envelope("cosign-blob", Verdict::good)}));
  EXPECT_FALSE(no_prov.allowed);
  ASSERT_FALSE(no_prov.reasons.empty());
  EXPECT_NE(no_prov.reasons[0].find("needs a counted prov envelope"), std::string::npos) << no_prov.reasons[0];
  EXPECT_FALSE(decide(PlainTrust::keyring_and_key,
                      chart({envelope("prov", Verdict::good, "pgp"), envelope("cosign-blob", Verdict::good),
                             envelope("sigstore-bundle", Verdict::bad)}))
                   .allowed);
}

TEST(NoEnvironmentPolicy, APolicyFileCannotAskForTheBuiltInRules) {
  // every_envelope_verifies and one_of_each are not keys of policy.yaml.
  const auto p = parse_policy(
      "version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n"
      "      - charts: \"*\"\n        every_envelope_verifies: true\n",
      "policy.yaml");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("unknown rule key \"every_envelope_verifies\""), std::string::npos);
}

}  // namespace
}  // namespace chartprov::policy
