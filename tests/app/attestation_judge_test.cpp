// The attestation judge (issue 16 part 3) on real bundles: sigstore-js's
// DSSE in-toto bundle of upstream/rekor/test-0.1.0.tgz by chartprov-p256
// (tests/data/cosign, cases bundle-intoto-dsse, bundle-neg-intoto-*), the
// GitHub Actions SLSA provenance of tests/data/sigstore-keyless, and what
// chartprov attest writes with a cosign key of tests/data/cosign.
#include <gtest/gtest.h>

#include <ctime>

#include "app/events/decision_report.hpp"
#include "app/sign/attest.hpp"
#include "app/sign/blob_signer.hpp"
#include "app/verify/bundle_verify.hpp"
#include "app/verify/decide.hpp"
#include "app/verify/judge_attestation.hpp"
#include "app/verify/staged_chart.hpp"
#include "chart/archive_reader.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "infra/openssl/key_id.hpp"
#include "policy/policy.hpp"
#include "support/test_support.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

namespace fs = std::filesystem;

// sha256sum tests/data/cosign/upstream/rekor/test-0.1.0.tgz (the subject of the in-toto bundle)
const char* const kChartSha256 = "6dec7ea21e655d5796c1e214cfb75b73428b2abfa2e66c8f7bc64ff4a7b3b29f";
// sha256sum tests/data/sigstore-keyless/artifacts/sigstore-conformance/a.txt
const char* const kConformanceSha256 = "a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf";
const char* const kConformanceBundle =
    "sigstore-keyless/bundles/sigstore-conformance/happy-path-intoto-in-dsse-v3/bundle.sigstore.json";

policy::EnvelopeEvidence vouched(policy::Verdict verdict) {
  policy::EnvelopeEvidence e;
  e.format = "sigstore-bundle";
  e.source = "x.attestation.sigstore.json";
  e.verdict = verdict;
  e.key_id = "0123456789abcdef";
  return e;
}

// DIR/test-0.1.0.tgz, a copy of `chart`, with the attestation bundle `bundle` beside it.
void place(const test::TempDir& t, const fs::path& chart, const fs::path& bundle) {
  fs::copy_file(chart, t / "test-0.1.0.tgz");
  fs::copy_file(bundle, t / ("test-0.1.0.tgz" + std::string(kAttestationSuffix)));
}

// The same, staged as decide() stages it.
StagedChart staged_with(const test::TempDir& t, const fs::path& chart, const fs::path& bundle) {
  place(t, chart, bundle);
  StageRequest s;
  s.chart = t / "test-0.1.0.tgz";
  auto staged = stage_chart(s);
  EXPECT_TRUE(staged.ok()) << staged.error().message;
  EXPECT_TRUE(staged->attestation.has_value());
  return std::move(staged).value();
}

TrustMaterial key_material(const std::string& pub) {
  TrustMaterial m;
  auto key = load_public_key(test::data(pub));
  EXPECT_TRUE(key.ok()) << key.error().message;
  m.key = std::move(key).value();
  m.key_id = crypto::spki_key_id(*m.key).value();
  return m;
}

TEST(AttestationJudge, TheStatementOfAGoodSignatureBecomesTheFacts) {
  const std::string bundle = test::read_text(test::data(kConformanceBundle));
  const auto a = attestation_evidence(vouched(policy::Verdict::good), bundle, kConformanceSha256);
  EXPECT_TRUE(a.good()) << a.envelope.reason;
  EXPECT_EQ(a.envelope.format, "attestation");
  EXPECT_EQ(a.envelope.key_id, "0123456789abcdef");
  EXPECT_EQ(a.predicate_type, "https://slsa.dev/provenance/v1");
  EXPECT_EQ(a.builder_id, "https://github.com/loosebazooka/aa-test/.github/workflows/provenance.yaml@refs/heads/main");
  EXPECT_EQ(a.build_type, "https://actions.github.io/buildtypes/workflow/v1");
  EXPECT_EQ(a.source_repository, "https://github.com/loosebazooka/aa-test");
  EXPECT_EQ(a.source_ref, "refs/heads/main");
  EXPECT_EQ(a.workflow_path, ".github/workflows/provenance.yaml");
}

TEST(AttestationJudge, AnotherDigestIsBadAndAnUnverifiedStatementIsNoFact) {
  const std::string bundle = test::read_text(test::data(kConformanceBundle));
  const auto other = attestation_evidence(vouched(policy::Verdict::good), bundle, kChartSha256);
  EXPECT_EQ(other.envelope.verdict, policy::Verdict::bad);
  EXPECT_EQ(other.envelope.reason,
            std::string("the attestation names another digest, not the chart's sha256:") + kChartSha256);
  EXPECT_TRUE(other.predicate_type.empty());
  const auto unknown = attestation_evidence(vouched(policy::Verdict::unknown_key), bundle, kConformanceSha256);
  EXPECT_EQ(unknown.envelope.verdict, policy::Verdict::unknown_key);
  EXPECT_TRUE(unknown.predicate_type.empty());
  EXPECT_TRUE(unknown.builder_id.empty());
  // A message signature holds no statement.
  const auto message = attestation_evidence(
      vouched(policy::Verdict::good),
      test::read_text(test::data("cosign/generated/bundle/test-0.1.0.tgz.sigstore.json")), kChartSha256);
  EXPECT_EQ(message.envelope.verdict, policy::Verdict::bad);
  EXPECT_NE(message.envelope.reason.find("holds no in-toto statement"), std::string::npos) << message.envelope.reason;
}

TEST(AttestationJudge, ByKeyTheSignatureThenTheDigest) {
  const TrustMaterial m = key_material("cosign/generated/keys/chartprov-p256.pub");
  {
    test::TempDir t;
    const StagedChart c = staged_with(t, test::data("cosign/upstream/rekor/test-0.1.0.tgz"),
                                      test::data("cosign/generated/bundle/test-0.1.0.tgz.intoto.sigstore.json"));
    const auto judged = judge_attestations(c, m, "production", 0);
    ASSERT_EQ(judged.size(), 1u);
    EXPECT_TRUE(judged[0].good()) << judged[0].envelope.reason;
    EXPECT_EQ(judged[0].envelope.key_id, m.key_id);
    EXPECT_EQ(judged[0].envelope.source, (t / "test-0.1.0.tgz.attestation.sigstore.json").string());
    EXPECT_EQ(judged[0].predicate_type, "https://sigstore.dev/cosign/sign/v1");
    // Another key: the signature does not verify.
    const auto other = judge_attestations(c, key_material("cosign/generated/keys/other-p256.pub"), "production", 0);
    ASSERT_EQ(other.size(), 1u);
    EXPECT_EQ(other[0].envelope.verdict, policy::Verdict::bad);
    EXPECT_EQ(other[0].envelope.reason, "the DSSE signature does not verify with the key");
    // A keyring alone judges no attestation.
    EXPECT_TRUE(judge_attestations(c, TrustMaterial{}, "production", 0).empty());
  }
  {
    // The statement swapped for one about another digest: the signature no longer verifies.
    test::TempDir t;
    const StagedChart c = staged_with(t, test::data("cosign/upstream/rekor/test-0.1.0.tgz"),
                                      test::data("cosign/generated/bundle/neg-intoto-payload-swapped.sigstore.json"));
    const auto judged = judge_attestations(c, m, "production", 0);
    ASSERT_EQ(judged.size(), 1u);
    EXPECT_EQ(judged[0].envelope.verdict, policy::Verdict::bad);
    EXPECT_EQ(judged[0].envelope.reason, "the DSSE signature does not verify with the key");
  }
  {
    // The good attestation copied beside another chart (helm's demo chart).
    test::TempDir t;
    const StagedChart c = staged_with(t, test::data("helm/generated/cases/ok-helm-rsa3072/demo-0.1.0.tgz"),
                                      test::data("cosign/generated/bundle/test-0.1.0.tgz.intoto.sigstore.json"));
    const auto judged = judge_attestations(c, m, "production", 0);
    ASSERT_EQ(judged.size(), 1u);
    EXPECT_EQ(judged[0].envelope.verdict, policy::Verdict::bad);
    EXPECT_EQ(judged[0].envelope.reason.rfind("the attestation names another digest", 0), 0u)
        << judged[0].envelope.reason;
  }
}

TEST(AttestationJudge, WhatAttestWritesJudgesAsItsPredicateSays) {
  test::TempDir t;
  fs::copy_file(test::data("cosign/upstream/rekor/test-0.1.0.tgz"), t / "test-0.1.0.tgz");
  // The predicate of the real GitHub Actions provenance.
  const auto b = sigstore::parse_bundle(test::read_text(test::data(kConformanceBundle)));
  ASSERT_TRUE(b.ok() && b->dsse);
  const auto st = sigstore::parse_statement(as_chars(b->dsse->payload));
  ASSERT_TRUE(st.ok());
  test::write_text(t / "predicate.json", st->predicate_json);

  const fs::path key = test::private_copy(test::data("cosign/generated/keys/chartprov-p256-empty-password.key"));
  auto signer =
      open_signer(key.string(), [](SecretKind, const std::string&) { return Result<SecretString>(SecretString("")); });
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  AttestRequest req;
  req.chart = t / "test-0.1.0.tgz";
  req.signer = &*signer;
  req.predicate = t / "predicate.json";
  const auto written = attest_chart(req);
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(written->digest, std::string("sha256:") + kChartSha256);
  EXPECT_EQ(written->written, t / "test-0.1.0.tgz.attestation.sigstore.json");
  // Written once; again only with force.
  const auto again = attest_chart(req);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("exists; refusing to overwrite"), std::string::npos);

  StageRequest s;
  s.chart = t / "test-0.1.0.tgz";
  const auto staged = stage_chart(s);
  ASSERT_TRUE(staged.ok()) << staged.error().message;
  // Kept for a keyless attestation's judge, which checks the statement against the bytes.
  EXPECT_EQ(staged->blob.bytes(), read_file(t / "test-0.1.0.tgz").value());
  const auto judged = judge_attestations(*staged, key_material("cosign/generated/keys/chartprov-p256.pub"), "", 0);
  ASSERT_EQ(judged.size(), 1u);
  EXPECT_TRUE(judged[0].good()) << judged[0].envelope.reason;
  EXPECT_EQ(judged[0].predicate_type, "https://slsa.dev/provenance/v1");
  EXPECT_EQ(judged[0].source_repository, "https://github.com/loosebazooka/aa-test");
  EXPECT_EQ(judged[0].source_ref, "refs/heads/main");

  // Any other predicate type must be a URI; SLSA v1 must name a builder.
  test::write_text(t / "empty.json", "{}");
  req.predicate = t / "empty.json";
  req.force = true;
  EXPECT_EQ(attest_chart(req).error().message,
            "the predicate is not SLSA provenance v1: the SLSA provenance names no builder (runDetails.builder.id)");
  req.predicate_type = "https://example.com/review/v1";
  EXPECT_TRUE(attest_chart(req).ok());
}

// The conformance suite's GitHub Actions attestation of a.txt, staged with a.txt standing for
// the chart's bytes (and helm's demo chart for its Chart.yaml).
StagedChart keyless_staged(const std::string& artifact) {
  StagedChart c;
  c.path = "demo-0.1.0.tgz";
  c.digest = std::string("sha256:") + kConformanceSha256;
  c.archive = chart::read_chart_archive_bytes(
      read_file(test::data("helm/generated/cases/ok-helm-rsa3072/demo-0.1.0.tgz"), chart::kMaxChartArchive).value());
  c.blob = ChartBlobDigests::for_envelopes(false, true, {}).value();
  c.blob.update(read_file(test::data(artifact)).value());
  c.blob.finish();
  StagedEnvelope e;
  e.file = "demo-0.1.0.tgz.attestation.sigstore.json";
  e.bytes = read_file(test::data(kConformanceBundle));
  c.attestation = std::move(e);
  return c;
}

TrustMaterial pinned_identity(const std::string& subject) {
  TrustMaterial m;
  m.sigstore_root = load_trusted_root(test::data("sigstore-keyless/roots/production/trusted_root.json")).value();
  m.identity =
      policy::IdentityRequirement{policy::TextMatch::exact(subject).value(),
                                  policy::TextMatch::exact("https://token.actions.githubusercontent.com").value(),
                                  {}};
  return m;
}

TEST(AttestationJudge, AKeylessAttestationIsJudgedByTheIdentityItsCertificateNames) {
  // tests/data/sigstore-keyless/cases.tsv, conf/happy-path-intoto-in-dsse-v3.
  const std::string subject =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
      "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  const std::int64_t now = std::time(nullptr);
  const StagedChart c = keyless_staged("sigstore-keyless/artifacts/sigstore-conformance/a.txt");
  auto judged = judge_attestations(c, pinned_identity(subject), "production", now);
  ASSERT_EQ(judged.size(), 1u);
  EXPECT_TRUE(judged[0].good()) << judged[0].envelope.reason;
  EXPECT_EQ(judged[0].envelope.format, "attestation");
  ASSERT_TRUE(judged[0].envelope.identity.has_value());
  EXPECT_EQ(judged[0].envelope.identity->subject, subject);
  EXPECT_TRUE(judged[0].envelope.in_transparency_log);
  EXPECT_EQ(judged[0].predicate_type, "https://slsa.dev/provenance/v1");
  EXPECT_EQ(judged[0].source_repository, "https://github.com/loosebazooka/aa-test");

  // Another identity pinned: the certificate's is unknown here, and its statement no fact.
  judged = judge_attestations(
      c, pinned_identity("https://github.com/acme/charts/.github/workflows/release.yml@refs/tags/v1"), "production",
      now);
  ASSERT_EQ(judged.size(), 1u);
  EXPECT_EQ(judged[0].envelope.verdict, policy::Verdict::unknown_key);
  EXPECT_TRUE(judged[0].predicate_type.empty());

  // The same attestation beside other bytes: its statement does not name them.
  judged = judge_attestations(keyless_staged("cosign/upstream/rekor/test-0.1.0.tgz"), pinned_identity(subject),
                              "production", now);
  ASSERT_EQ(judged.size(), 1u);
  EXPECT_EQ(judged[0].envelope.verdict, policy::Verdict::bad);
  EXPECT_NE(judged[0].envelope.reason.find("does not name sha256:"), std::string::npos) << judged[0].envelope.reason;
}

policy::Policy requiring(const std::string& predicate_type) {
  auto p = policy::parse_policy(
      "version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n      - charts: \"*\"\n"
      "        attestations:\n          - predicate_type: " +
          predicate_type + "\n",
      "policy.yaml");
  EXPECT_TRUE(p.ok()) << p.error().message;
  return std::move(p).value();
}

TEST(AttestationJudge, DecisionsJudgeTheAttestationBesideTheChart) {
  test::TempDir t;
  place(t, test::data("cosign/upstream/rekor/test-0.1.0.tgz"),
        test::data("cosign/generated/bundle/test-0.1.0.tgz.intoto.sigstore.json"));
  fs::copy_file(test::data("cosign/generated/bundle/test-0.1.0.tgz.sigstore.json"), t / "test-0.1.0.tgz.sigstore.json");
  TrustSource source;
  source.key = test::data("cosign/generated/keys/chartprov-p256.pub");
  auto m = load_trust_material(source, 0);
  ASSERT_TRUE(m.ok()) << m.error().message;
  DecideRequest req;
  req.chart = (t / "test-0.1.0.tgz").string();
  req.environment = "production";
  req.save_dir = t / "private";
  fs::create_directory(*req.save_dir);
  auto r = decide(requiring("https://sigstore.dev/cosign/sign/v1"), req, *m);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->decision.allowed) << (r->decision.reasons.empty() ? "" : r->decision.reasons[0]);
  ASSERT_EQ(r->evidence.attestations.size(), 1u);
  EXPECT_TRUE(r->evidence.attestations[0].good());
  const std::string file = (t / "test-0.1.0.tgz.attestation.sigstore.json").string();
  const auto j = decision_json(*r);
  ASSERT_EQ(j["attestations"].size(), 1u);
  EXPECT_EQ(j["attestations"][0]["source"], file);
  EXPECT_EQ(j["attestations"][0]["status"], "good");
  EXPECT_EQ(j["attestations"][0]["predicate_type"], "https://sigstore.dev/cosign/sign/v1");
  EXPECT_EQ(j["attestations"][0]["key_id"], m->key_id);
  EXPECT_NE(decision_text(r->evidence, r->decision)
                .find("  Verified attestation: " + file + " (https://sigstore.dev/cosign/sign/v1, key " +
                      m->key_id.substr(0, 16) + ")\n"),
            std::string::npos)
      << decision_text(r->evidence, r->decision);
  // The private copy holds the attestation with the other envelopes.
  EXPECT_EQ(read_file(t / "private/test-0.1.0.tgz.attestation.sigstore.json").value(),
            read_file(t / "test-0.1.0.tgz.attestation.sigstore.json").value());

  fs::remove_all(*req.save_dir);
  req.save_dir.reset();
  r = decide(requiring("https://slsa.dev/provenance/v1"), req, *m);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->decision.allowed);
  EXPECT_EQ(r->decision.reason_code, "attestation");
  ASSERT_FALSE(r->decision.reasons.empty());
  EXPECT_NE(r->decision.reasons[0].find("its predicate type is https://sigstore.dev/cosign/sign/v1"), std::string::npos)
      << r->decision.reasons[0];
  EXPECT_EQ(decision_json(*r)["reason_code"], "attestation");

  // An attestation that is there but cannot be read: no decision, as for any envelope.
  fs::remove(t / "test-0.1.0.tgz.attestation.sigstore.json");
  fs::create_directory(t / "test-0.1.0.tgz.attestation.sigstore.json");
  EXPECT_FALSE(decide(requiring("https://slsa.dev/provenance/v1"), req, *m).ok());
}

}  // namespace
}  // namespace chartprov::app
