// decide(): the one pipeline (trust material loaded once, the chart staged
// once, one judge per envelope kind, the environment's policy), on the Helm
// vectors (tests/data/helm/generated) with the real keyrings. The e2e tests
// reach the same code through the CLI, the gate and serve; these pin the
// pipeline's own contract.
#include "app/decide.hpp"

#include <gtest/gtest.h>

#include <ctime>

#include "support/test_support.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

namespace fs = std::filesystem;

const std::int64_t kNow = static_cast<std::int64_t>(std::time(nullptr));
const char* const kKeyring = "helm/generated/keys/rsa3072.pub.gpg";

// DIR/demo-0.1.0.tgz (+ .prov) copied from a vector case.
fs::path copy_case(const fs::path& dir, const std::string& name, bool prov = true) {
  const fs::path c = test::data("helm/generated/cases/" + name);
  fs::create_directories(dir);
  fs::copy_file(c / "demo-0.1.0.tgz", dir / "demo-0.1.0.tgz");
  if (prov) fs::copy_file(c / "demo-0.1.0.tgz.prov", dir / "demo-0.1.0.tgz.prov");
  return dir / "demo-0.1.0.tgz";
}

TrustMaterial keyring_material(const fs::path& keyring) {
  TrustSource s;
  s.keyring = keyring;
  s.use_keyring_cache = false;
  auto m = load_trust_material(s, kNow);
  EXPECT_TRUE(m.ok()) << m.error().message;
  return std::move(m).value();
}

policy::Policy production() {
  auto p = policy::parse_policy(
      "version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n"
      "      - charts: \"*\"\n  staging:\n    mode: warn\n    rules:\n"
      "      - charts: \"*\"\n",
      "test-policy.yaml");
  EXPECT_TRUE(p.ok()) << p.error().message;
  return std::move(p).value();
}

DecideRequest request(const fs::path& chart, const std::string& environment) {
  DecideRequest r;
  r.chart = chart.string();
  r.environment = environment;
  r.now = kNow;
  return r;
}

std::string all(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + "\n";
  return out;
}

TEST(Decide, AGoodProvAllowsWithItsSignerAsEvidence) {
  test::TempDir t;
  const fs::path chart = copy_case(t / "c", "ok-helm-rsa3072");
  const TrustMaterial m = keyring_material(test::data(kKeyring));
  const auto r = decide(production(), request(chart, "production"), m);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->decision.allowed) << all(r->decision.reasons);
  EXPECT_EQ(r->decision.verdict(), "allow");
  EXPECT_EQ(r->evidence.chart, chart.string());
  EXPECT_EQ(r->evidence.name, "demo");
  EXPECT_EQ(r->evidence.version, "0.1.0");
  EXPECT_EQ(r->evidence.digest.rfind("sha256:", 0), 0u);
  EXPECT_EQ(r->evidence.trust_source, "keyring " + test::data(kKeyring).string());
  ASSERT_EQ(r->evidence.envelopes.size(), 1u);
  const auto& e = r->evidence.envelopes[0];
  EXPECT_EQ(e.format, "prov");
  EXPECT_EQ(e.source, chart.string() + ".prov");  // the user's file, never a private copy
  EXPECT_TRUE(e.good());
  EXPECT_EQ(e.fingerprint.size(), 40u);
  EXPECT_FALSE(r->saved_chart.has_value());  // no copy unless one is asked for
}

TEST(Decide, TheMaterialIsNotReadAgainPerChart) {
  test::TempDir t;
  const fs::path chart = copy_case(t / "c", "ok-helm-rsa3072");
  fs::copy_file(test::data(kKeyring), t / "k.gpg");
  const TrustMaterial m = keyring_material(t / "k.gpg");
  fs::remove(t / "k.gpg");  // loaded once: every later decision uses what was loaded
  for (int i = 0; i < 3; ++i) {
    const auto r = decide(production(), request(chart, "production"), m);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->decision.allowed) << all(r->decision.reasons);
  }
}

TEST(Decide, AGoodSignatureOverAnotherChartIsBad) {
  test::TempDir t;
  const fs::path chart = copy_case(t / "c", "neg-version-mismatch");  // the .prov signs demo 9.9.9
  const auto r = decide(production(), request(chart, "production"), keyring_material(test::data(kKeyring)));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->decision.allowed);
  EXPECT_TRUE(r->decision.blocks());
  ASSERT_EQ(r->evidence.envelopes.size(), 1u);
  EXPECT_EQ(r->evidence.envelopes[0].status, "bad");
  EXPECT_NE(r->evidence.envelopes[0].reason.find("differs from the archive's"), std::string::npos)
      << r->evidence.envelopes[0].reason;
  EXPECT_EQ(r->decision.reason_code, "bad-signature");
}

TEST(Decide, ASignatureByAnotherKeyIsAnUnknownKeyAndWarnDoesNotBlock) {
  test::TempDir t;
  const fs::path chart = copy_case(t / "c", "ok-helm-rsa3072");
  const TrustMaterial other = keyring_material(test::data("helm/generated/keys/rsa2048.pub.gpg"));
  const auto r = decide(production(), request(chart, "staging"), other);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->decision.allowed);
  EXPECT_FALSE(r->decision.blocks());  // staging warns
  EXPECT_EQ(r->decision.verdict(), "warn");
  ASSERT_EQ(r->evidence.envelopes.size(), 1u);
  EXPECT_EQ(r->evidence.envelopes[0].status, "unknown-key");
}

TEST(Decide, NoEnvelopeIsADeny) {
  test::TempDir t;
  const fs::path chart = copy_case(t / "c", "ok-helm-rsa3072", false);
  const auto r = decide(production(), request(chart, "production"), keyring_material(test::data(kKeyring)));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->decision.blocks());
  EXPECT_TRUE(r->evidence.envelopes.empty());
  EXPECT_EQ(r->decision.reason_code, "no-envelope");
}

TEST(Decide, AnArchiveThatFailsItsChecksIsAProblemNotAnError) {
  test::TempDir t;
  const fs::path chart = copy_case(t / "c", "neg-tampered-tgz");
  const auto r = decide(production(), request(chart, "production"), keyring_material(test::data(kKeyring)));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->decision.blocks());
  EXPECT_TRUE(r->evidence.envelopes.empty());  // nothing is judged against an archive that is not sound
  ASSERT_EQ(r->evidence.problems.size(), 1u);
  EXPECT_NE(r->evidence.problems[0].find("corrupt gzip stream"), std::string::npos) << r->evidence.problems[0];
}

TEST(Decide, AnUnreadableArchiveIsAProblemNotAnError) {
  test::TempDir t;
  fs::create_directories(t / "c");
  test::write_text(t / "c/demo-0.1.0.tgz", "not a gzip stream");
  const auto r =
      decide(production(), request(t / "c/demo-0.1.0.tgz", "production"), keyring_material(test::data(kKeyring)));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->decision.blocks());
  ASSERT_EQ(r->evidence.problems.size(), 1u);
  EXPECT_EQ(r->evidence.problems[0].rfind("archive: ", 0), 0u);
  EXPECT_EQ(r->decision.reason_code, "archive");
}

TEST(Decide, AMissingChartHasOneMessage) {
  test::TempDir t;
  const auto r =
      decide(production(), request(t / "gone-1.0.0.tgz", "production"), keyring_material(test::data(kKeyring)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, chart_not_found(t / "gone-1.0.0.tgz").message);
  EXPECT_EQ(r.error().message,
            "chart not found: " + (t / "gone-1.0.0.tgz").string() + " (a packaged .tgz or an oci:// reference)");
}

TEST(Decide, AnEnvelopeThatCannotBeReadIsAnInputError) {
  test::TempDir t;
  const fs::path chart = copy_case(t / "c", "ok-helm-rsa3072", false);
  fs::create_directories(chart.string() + ".prov");  // there, but not a file
  const auto r = decide(production(), request(chart, "production"), keyring_material(test::data(kKeyring)));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find(chart.string() + ".prov"), std::string::npos) << r.error().message;
}

TEST(Decide, ThePrivateCopyHoldsTheBytesThatWereJudged) {
  test::TempDir t;
  const fs::path chart = copy_case(t / "c", "ok-helm-rsa3072");
  fs::create_directories(t / "private");
  DecideRequest req = request(chart, "production");
  req.save_dir = t / "private";
  const auto r = decide(production(), req, keyring_material(test::data(kKeyring)));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->decision.allowed);
  ASSERT_TRUE(r->saved_chart.has_value());
  EXPECT_EQ(*r->saved_chart, t / "private/demo-0.1.0.tgz");
  EXPECT_EQ(read_file(*r->saved_chart).value(), read_file(chart).value());
  EXPECT_EQ(read_file(t / "private/demo-0.1.0.tgz.prov").value(), read_file(chart.string() + ".prov").value());
  EXPECT_EQ(fs::status(*r->saved_chart).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
}

TEST(Decide, TheOneShotFormLoadsTheSameMaterial) {
  test::TempDir t;
  const fs::path chart = copy_case(t / "c", "ok-helm-rsa3072");
  DecideRequest req = request(chart, "production");
  req.trust.keyring = test::data(kKeyring);
  req.trust.use_keyring_cache = false;
  const auto r = decide(production(), req);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->decision.allowed);
  req.trust.trust_dir = t / "trust";  // and a trust root: two sources
  const auto two = decide(production(), req);
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().kind, ErrorKind::kUsage);
}

TEST(Decide, StagedDecisionsArePureOfTheFiles) {
  test::TempDir t;
  const fs::path chart = copy_case(t / "c", "ok-helm-rsa3072");
  const TrustMaterial m = keyring_material(test::data(kKeyring));
  auto staged = stage_chart(stage_request_for(chart, m));
  ASSERT_TRUE(staged.ok()) << staged.error().message;
  fs::remove(chart);
  fs::remove(chart.string() + ".prov");
  const DecideResult r = decide_staged(production(), *staged, m, "demo", "production", kNow);
  EXPECT_TRUE(r.decision.allowed) << all(r.decision.reasons);
  EXPECT_EQ(r.evidence.chart, "demo");
}

}  // namespace
}  // namespace chartprov::app
