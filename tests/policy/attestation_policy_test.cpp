// A rule's attestations: (issue 16 part 3): parsed with their lines, and
// evaluated both ways. The SLSA values are those of the GitHub Actions
// provenance in tests/data/sigstore-keyless (happy-path-intoto-in-dsse-v3),
// the key ids those of the policy tests.
#include <gtest/gtest.h>

#include "policy/attestation_requirement.hpp"
#include "policy/decision.hpp"
#include "policy/policy.hpp"

namespace chartprov::policy {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;
const char* const kBuilder =
    "https://github.com/loosebazooka/aa-test/.github/workflows/provenance.yaml@refs/heads/main";
const char* const kRepository = "https://github.com/loosebazooka/aa-test";
const char* const kWorkflowPath = ".github/workflows/provenance.yaml";
const char* const kReleaseKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const char* const kCiKey = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
const char* const kOtherKey = "aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbaaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb";

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

// One rule for every chart, signed by the release key, with these attestations (lines from 9 on).
std::string rule_with(const std::string& attestations) {
  return std::string("version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n") +
         "      - charts: \"*\"\n        signers: [\"" + kReleaseKey + "\"]\n        attestations:\n" + attestations;
}

const std::string kSlsa = "          - predicate_type: https://slsa.dev/provenance/v1\n";

EnvelopeEvidence signature(const std::string& key_id) {
  EnvelopeEvidence e;
  e.format = "sigstore-bundle";
  e.source = "web-1.0.0.tgz.sigstore.json";
  e.verdict = Verdict::good;
  e.key_id = key_id;
  return e;
}

AttestationEvidence provenance(const std::string& key_id, const std::string& ref = "refs/heads/main") {
  AttestationEvidence a;
  a.envelope.format = "attestation";
  a.envelope.source = "web-1.0.0.tgz.attestation.sigstore.json";
  a.envelope.verdict = Verdict::good;
  a.envelope.key_id = key_id;
  a.predicate_type = std::string(kSlsaProvenanceV1);
  a.builder_id = kBuilder;
  a.build_type = "https://actions.github.io/buildtypes/workflow/v1";
  a.source_repository = kRepository;
  a.source_ref = ref;
  a.workflow_path = kWorkflowPath;
  return a;
}

Evidence chart(std::vector<AttestationEvidence> attestations, std::vector<EnvelopeEvidence> envelopes = {}) {
  Evidence ev;
  ev.chart = "web-1.0.0.tgz";
  ev.name = "web";
  ev.version = "1.0.0";
  ev.digest = "sha256:00";
  ev.envelopes = envelopes.empty() ? std::vector<EnvelopeEvidence>{signature(kReleaseKey)} : std::move(envelopes);
  ev.attestations = std::move(attestations);
  return ev;
}

bool said(const Decision& d, const std::string& text) {
  for (const auto& r : d.reasons) {
    if (r.find(text) != std::string::npos) return true;
  }
  return false;
}

std::string all(const Decision& d) {
  std::string out;
  for (const auto& r : d.reasons) out += r + "\n";
  return out;
}

TEST(AttestationPolicy, ReadsEveryField) {
  const Policy p = parse_ok(rule_with(kSlsa + "            builder_id: " + kBuilder +
                                      "\n            source_repository_regexp: https://github\\.com/loosebazooka/.*\n"
                                      "            source_ref: refs/heads/main\n            workflow: " +
                                      kWorkflowPath + "\n            signers: [\"" + kCiKey +
                                      "\"]\n          - predicate_type: https://example.com/sbom/v1\n"));
  const Rule& rule = p.environments.at(0).rules.at(0);
  ASSERT_EQ(rule.attestations.size(), 2u);
  const AttestationRequirement& slsa = rule.attestations[0];
  EXPECT_EQ(slsa.line, 9);
  EXPECT_EQ(slsa.predicate_type, kSlsaProvenanceV1);
  ASSERT_TRUE(slsa.builder_id && slsa.source_repository && slsa.source_ref && slsa.workflow);
  EXPECT_FALSE(slsa.builder_id->is_regexp());
  EXPECT_TRUE(slsa.source_repository->is_regexp());
  EXPECT_EQ(slsa.signers, std::vector<std::string>{kCiKey});
  EXPECT_TRUE(slsa.names_signers);
  EXPECT_EQ(slsa.describe(), std::string(kSlsaProvenanceV1) + " (builder_id " + kBuilder +
                                 ", source_repository /https://github\\.com/loosebazooka/.*/, source_ref "
                                 "refs/heads/main, workflow .github/workflows/provenance.yaml)");
  // Without signers: of its own, the rule's.
  const AttestationRequirement& sbom = rule.attestations[1];
  EXPECT_EQ(sbom.line, 15);
  EXPECT_FALSE(sbom.names_signers);
  EXPECT_EQ(sbom.signers, std::vector<std::string>{kReleaseKey});
  EXPECT_FALSE(sbom.builder_id.has_value());
}

TEST(AttestationPolicy, KeylessSignersAsInARule) {
  const Policy p =
      parse_ok(rule_with(kSlsa + "            signers:\n              - identity_regexp: https://github\\.com/.*\n"
                                 "                issuer: https://token.actions.githubusercontent.com\n"));
  const auto& req = p.environments.at(0).rules.at(0).attestations.at(0);
  EXPECT_TRUE(req.signers.empty());
  ASSERT_EQ(req.identities.size(), 1u);
  AttestationEvidence a = provenance("");
  a.envelope.identity = SignerIdentity{kBuilder, "https://token.actions.githubusercontent.com", {}};
  EXPECT_TRUE(evaluate(p, "production", chart({a}), kNow).allowed);
  a.envelope.identity->issuer = "https://accounts.google.com";
  const Decision d = evaluate(p, "production", chart({a}), kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(said(d, "who is not a signer this requirement accepts")) << all(d);
}

TEST(AttestationPolicy, RefusesWhatItCannotRead) {
  const auto refused = [](const std::string& attestations, const std::string& text) {
    const std::string e = parse_error(rule_with(attestations));
    EXPECT_NE(e.find(text), std::string::npos) << e;
  };
  refused(kSlsa + "            builder: x\n", "policy.yaml:10: unknown attestation key \"builder\"");
  refused("          - builder_id: x\n", "policy.yaml:9: an attestation requirement needs predicate_type:");
  refused(kSlsa + "            builder_id: x\n            builder_id_regexp: y\n",
          "policy.yaml:11: builder_id_regexp: give one of builder_id, builder_id_regexp");
  refused("          - predicate_type: https://example.com/sbom/v1\n            source_ref: refs/tags/v1\n",
          "policy.yaml:10: source_ref: only SLSA provenance v1");
  refused(kSlsa + "            source_ref_regexp: \"(\"\n",
          "policy.yaml:10: source_ref_regexp: the regular expression");
  refused(kSlsa + "            workflow: \"\"\n", "policy.yaml:10: workflow is empty");
  refused(kSlsa + "            signers: []\n", "signers is an empty list");
  refused("          - https://slsa.dev/provenance/v1\n",
          "policy.yaml:9: an attestation requirement must be a mapping");
  refused("          predicate_type: https://slsa.dev/provenance/v1\n", "attestations must be a list of requirements");
  std::string many;
  for (std::size_t i = 0; i <= kMaxAttestationRequirements; ++i) many += kSlsa;
  refused(many, "too many attestation requirements (at most 16)");
  const std::string unknown = parse_error(
      "version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n      - charts: \"*\"\n"
      "        attestation:\n" +
      kSlsa);
  EXPECT_NE(unknown.find("policy.yaml:7: unknown rule key \"attestation\""), std::string::npos) << unknown;
}

TEST(AttestationPolicy, AMatchingAttestationAllows) {
  const Policy p = parse_ok(rule_with(kSlsa + "            builder_id: " + kBuilder +
                                      "\n            source_repository: " + kRepository +
                                      "\n            source_ref_regexp: refs/(heads/main|tags/v.*)\n            "
                                      "workflow: " +
                                      kWorkflowPath + "\n"));
  const Decision d = evaluate(p, "production", chart({provenance(kReleaseKey)}), kNow);
  EXPECT_TRUE(d.allowed) << all(d);
  EXPECT_EQ(d.reason_code, "");
  EXPECT_TRUE(evaluate(p, "production", chart({provenance(kReleaseKey, "refs/tags/v1.2.0")}), kNow).allowed);
}

TEST(AttestationPolicy, EachDifferenceDenies) {
  const Policy p = parse_ok(
      rule_with(kSlsa + "            builder_id: " + kBuilder + "\n            source_ref_regexp: refs/tags/v.*\n"));
  // The ref of the real provenance is a branch, not a tag.
  Decision d = evaluate(p, "production", chart({provenance(kReleaseKey)}), kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(d.blocks());
  EXPECT_EQ(d.reason_code, "attestation");
  EXPECT_TRUE(said(d, "needs an attestation https://slsa.dev/provenance/v1 (builder_id")) << all(d);
  EXPECT_TRUE(said(d,
                   "attestation web-1.0.0.tgz.attestation.sigstore.json: source ref \"refs/heads/main\" does not "
                   "match /refs/tags/v.*/"))
      << all(d);

  AttestationEvidence other_builder = provenance(kReleaseKey, "refs/tags/v1.0.0");
  other_builder.builder_id = "https://github.com/attacker/fork/.github/workflows/provenance.yaml@refs/tags/v1.0.0";
  d = evaluate(p, "production", chart({other_builder}), kNow);
  EXPECT_EQ(d.reason_code, "attestation");
  EXPECT_TRUE(said(d,
                   "builder id \"https://github.com/attacker/fork/.github/workflows/provenance.yaml@refs/tags/"
                   "v1.0.0\" is not \"" +
                       std::string(kBuilder) + "\""))
      << all(d);

  AttestationEvidence no_ref = provenance(kReleaseKey, "");
  d = evaluate(p, "production", chart({no_ref}), kNow);
  EXPECT_TRUE(said(d, "names no source ref (required: /refs/tags/v.*/)")) << all(d);

  d = evaluate(p, "production", chart({}), kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason_code, "attestation");
  EXPECT_TRUE(said(d, "the chart has none")) << all(d);
}

TEST(AttestationPolicy, OnlyAGoodAttestationOfTheTypeBySomeoneAcceptedCounts) {
  const Policy p = parse_ok(rule_with(kSlsa));
  EXPECT_TRUE(evaluate(p, "production", chart({provenance(kReleaseKey)}), kNow).allowed);

  AttestationEvidence copied = provenance(kReleaseKey);
  copied.envelope.verdict = Verdict::bad;
  copied.envelope.reason = "the attestation names another digest";
  Decision d = evaluate(p, "production", chart({copied}), kNow);
  EXPECT_EQ(d.reason_code, "attestation");
  EXPECT_TRUE(said(d, "attestation web-1.0.0.tgz.attestation.sigstore.json: the attestation names another digest"))
      << all(d);

  AttestationEvidence sbom = provenance(kReleaseKey);
  sbom.predicate_type = "https://spdx.dev/Document";
  d = evaluate(p, "production", chart({sbom}), kNow);
  EXPECT_TRUE(said(d, "its predicate type is https://spdx.dev/Document")) << all(d);

  // By default the rule's signers sign attestations too: another key does not.
  d = evaluate(p, "production", chart({provenance(kOtherKey)}), kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(said(d, "signed by aaaaaaaaaaaaaaaa, who is not a signer this requirement accepts")) << all(d);

  // A requirement that names its own signers: the CI key attests, the release key signs.
  const Policy ci = parse_ok(rule_with(kSlsa + "            signers: [\"" + kCiKey + "\"]\n"));
  EXPECT_TRUE(evaluate(ci, "production", chart({provenance(kCiKey)}), kNow).allowed);
  EXPECT_FALSE(evaluate(ci, "production", chart({provenance(kReleaseKey)}), kNow).allowed);
}

TEST(AttestationPolicy, ABadAttestationDeniesEvenBesideAGoodOne) {
  const Policy p = parse_ok(rule_with(kSlsa));
  AttestationEvidence tampered = provenance(kReleaseKey);
  tampered.envelope.source = "other.attestation.sigstore.json";
  tampered.envelope.verdict = Verdict::bad;
  tampered.envelope.reason = "the DSSE signature does not verify with the key";
  const Decision d = evaluate(p, "production", chart({provenance(kReleaseKey), tampered}), kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason_code, "attestation");
  EXPECT_TRUE(said(d,
                   "needs attestations, and attestation other.attestation.sigstore.json does not verify: the DSSE "
                   "signature does not verify with the key"))
      << all(d);
  // An attestation by a key that is not trusted here is no evidence either way.
  AttestationEvidence unknown = tampered;
  unknown.envelope.verdict = Verdict::unknown_key;
  EXPECT_TRUE(evaluate(p, "production", chart({provenance(kReleaseKey), unknown}), kNow).allowed);
}

TEST(AttestationPolicy, NotRequiredIsNotCountedButReported) {
  const Policy p =
      parse_ok("version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n      - charts: \"*\"\n");
  AttestationEvidence copied = provenance(kReleaseKey);
  copied.envelope.verdict = Verdict::bad;
  copied.envelope.reason = "the attestation names another digest";
  const Decision d = evaluate(p, "production", chart({copied}), kNow);
  EXPECT_TRUE(d.allowed);
  EXPECT_TRUE(said(d,
                   "not counted: attestation web-1.0.0.tgz.attestation.sigstore.json: the attestation names "
                   "another digest"))
      << all(d);
}

TEST(AttestationPolicy, AnAttestationIsNoSignature) {
  const Policy p = parse_ok(rule_with(kSlsa));
  Evidence unsigned_chart = chart({provenance(kReleaseKey)});
  unsigned_chart.envelopes.clear();
  Decision d = evaluate(p, "production", unsigned_chart, kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason_code, "no-envelope");
  // A signature by someone else and no attestation: the signature's reason first, the attestation's too.
  d = evaluate(p, "production", chart({}, {signature(kOtherKey)}), kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason_code, "untrusted-signer");
  EXPECT_TRUE(said(d, "the chart has none")) << all(d);
}

TEST(AttestationPolicy, WarnModeWarnsAndOffChecksNothing) {
  std::string yaml = rule_with(kSlsa);
  yaml.replace(yaml.find("mode: enforce"), 13, "mode: warn");
  Decision d = evaluate(parse_ok(yaml), "production", chart({}), kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_FALSE(d.blocks());
  EXPECT_EQ(d.verdict(), "warn");
  yaml.replace(yaml.find("mode: warn"), 10, "mode: off");
  EXPECT_TRUE(evaluate(parse_ok(yaml), "production", chart({}), kNow).allowed);
}

}  // namespace
}  // namespace chartprov::policy
