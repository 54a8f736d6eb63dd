// decide(): the one pipeline (trust material loaded once, the chart staged
// once, one judge per envelope kind, the environment's policy) and the one
// decision record, on the Helm vectors (tests/data/helm/generated) with the
// real keyrings. The e2e tests reach the same code through the CLI, the gate
// and serve; these pin the pipeline's own contract.
#include "app/verify/decide.hpp"

#include <gtest/gtest.h>

#include <ctime>

#include "app/events/decision_report.hpp"
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
  EXPECT_EQ(r->evidence.envelopes[0].verdict, policy::Verdict::bad);
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
  EXPECT_EQ(r->evidence.envelopes[0].verdict, policy::Verdict::unknown_key);
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

// The decision record.

policy::Decision allow_in(const std::string& environment) {
  policy::Decision d;
  d.environment = environment;
  d.mode = policy::Mode::enforce;
  d.allowed = true;
  d.signers = {"ABCD (release)"};
  return d;
}

policy::Evidence evidence_of(const std::string& chart) {
  policy::Evidence ev;
  ev.chart = chart;
  ev.name = "demo";
  ev.version = "0.1.0";
  ev.digest = "sha256:00";
  ev.trust_source = "keyring k.gpg";
  return ev;
}

TEST(DecisionRecord, ARecordedAllowStaysAnAllow) {
  test::TempDir t;
  EventSinks sinks;
  sinks.audit_log = t / "audit.jsonl";
  const DecisionRecord r = record_decision(evidence_of("c/demo-0.1.0.tgz"), allow_in("production"), 0.5, sinks);
  EXPECT_TRUE(r.decision.allowed);
  EXPECT_TRUE(r.unrecorded.empty());
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.event.decision, "allow");
  EXPECT_EQ(r.event.chart, "c/demo-0.1.0.tgz");
  EXPECT_NE(test::read_text(t / "audit.jsonl").find("\"allow\""), std::string::npos);
}

TEST(DecisionRecord, AnAllowThatCannotBeRecordedIsADeny) {
  test::TempDir t;
  EventSinks sinks;
  sinks.audit_log = t / "no-such-dir/audit.jsonl";
  const DecisionRecord r = record_decision(evidence_of("c/demo-0.1.0.tgz"), allow_in("production"), 0.5, sinks);
  EXPECT_FALSE(r.decision.allowed);
  EXPECT_TRUE(r.decision.blocks());
  EXPECT_FALSE(r.unrecorded.empty());
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.event.decision, "deny");
  EXPECT_EQ(r.event.reason_code, "error");
  ASSERT_FALSE(r.decision.reasons.empty());
  EXPECT_EQ(r.decision.reasons.back().rfind("the decision could not be recorded: ", 0), 0u);
  const auto j = decision_json(r);
  EXPECT_EQ(j["decision"], "deny");
  EXPECT_EQ(j["event_failures"].size(), 1u);
}

TEST(DecisionRecord, AWarnThatCannotBeRecordedBlocksToo) {
  test::TempDir t;
  EventSinks sinks;
  sinks.audit_log = t / "no-such-dir/audit.jsonl";
  policy::Decision warn = allow_in("staging");
  warn.allowed = false;
  warn.mode = policy::Mode::warn;
  warn.reasons = {"no envelope"};
  const DecisionRecord r = record_decision(evidence_of("c"), warn, 0, sinks);
  EXPECT_TRUE(r.decision.blocks());
  EXPECT_EQ(r.exit_code(), 2);
}

TEST(DecisionRecord, ADenyThatCannotBeRecordedKeepsItsExitCode) {
  test::TempDir t;
  EventSinks sinks;
  sinks.audit_log = t / "no-such-dir/audit.jsonl";
  const DecisionRecord r = record_decision(evidence_of("c"), error_decision("production", input_error("x")), 0, sinks);
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.decision.reasons, std::vector<std::string>{"x"});
  EXPECT_EQ(exit_after_recording(0, false), 2);
  EXPECT_EQ(exit_after_recording(1, false), 1);
  EXPECT_EQ(exit_after_recording(0, true), 0);
}

TEST(DecisionRecord, OneWordingPerVerdict) {
  policy::Evidence ev = evidence_of("c/demo-0.1.0.tgz");
  policy::Decision d = allow_in("production");
  EXPECT_EQ(decision_text(ev, d).substr(0, decision_text(ev, d).find('\n')),
            "ALLOW demo 0.1.0 for production (mode enforce)");
  d.allowed = false;
  d.reasons = {"no envelope"};
  const std::string deny = decision_text(ev, d);
  EXPECT_EQ(deny.substr(0, deny.find('\n')), "chartprov: DENY demo 0.1.0 for production (mode enforce)");
  EXPECT_NE(deny.find("\n  - no envelope\n"), std::string::npos);
  d.mode = policy::Mode::warn;
  d.environment = "staging";
  const std::string warn = decision_text(ev, d);
  EXPECT_EQ(warn.substr(0, warn.find('\n')),
            "chartprov: WARNING: demo 0.1.0 would be denied in staging (mode warn: not blocking)");
  ev.name.clear();  // the archive was not read: what the user named
  d = error_decision("", input_error("chart not found"));
  const std::string none = decision_text(ev, d);
  EXPECT_EQ(none.substr(0, none.find('\n')), "chartprov: DENY c/demo-0.1.0.tgz for no environment (mode enforce)");
}

}  // namespace
}  // namespace chartprov::app
