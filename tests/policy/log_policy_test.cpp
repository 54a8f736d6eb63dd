// A rule's transparency_log: (issue 17): the logs an envelope's entry must be
// in and the witnesses that must have cosigned its checkpoint, parsed with
// their lines and judged both ways. The cosignatures themselves are checked
// in app/verify (tests/app/log_witness_test.cpp); here only what they add up to.
#include <gtest/gtest.h>

#include "policy/decision.hpp"
#include "policy/log_requirement.hpp"
#include "policy/policy.hpp"
#include "util/encoding.hpp"

namespace chartprov::policy {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;
const std::string kLogA = "cf1199155bddd051268d1f16ac5c0c75c009f6fb5a63f4177f8e18d7051e3fa0";
const std::string kLogB = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

std::string vkey(const std::string& name, std::uint8_t fill) {
  Bytes key(33, fill);
  key[0] = 0x04;
  return name + "+0a1b2c3d+" + base64_encode(key);
}
const std::string kW1 = vkey("w1.example", 1), kW2 = vkey("w2.example", 2), kW3 = vkey("w3.example", 3);

std::string policy_with(const std::string& requirement) {
  return "version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n"
         "      - charts: \"*\"\n        transparency_log:\n" +
         requirement;
}

Result<Policy> parse(const std::string& requirement) { return parse_policy(policy_with(requirement), "policy.yaml"); }

EnvelopeEvidence bundle(std::vector<LogInclusion> entries) {
  EnvelopeEvidence e;
  e.format = "sigstore-bundle";
  e.source = "web-1.0.0.tgz.sigstore.json";
  e.verdict = Verdict::good;
  e.key_id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  e.in_transparency_log = !entries.empty();
  e.log_entries = std::move(entries);
  return e;
}

LogInclusion in_log(const std::string& id, std::vector<std::string> witnesses = {}) {
  LogInclusion i;
  i.log_id = id;
  i.origin = "log.example.com";
  i.witnesses = std::move(witnesses);
  return i;
}

Decision judge(const Policy& p, EnvelopeEvidence e) {
  Evidence ev;
  ev.chart = "web-1.0.0.tgz";
  ev.name = "web";
  ev.version = "1.0.0";
  ev.digest = "sha256:00";
  ev.envelopes = {std::move(e)};
  return evaluate(p, "production", ev, kNow);
}

bool said(const Decision& d, const std::string& text) {
  for (const auto& r : d.reasons) {
    if (r.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(LogPolicy, ReadsLogsInHexOrBase64AndWitnesses) {
  const auto p = parse("          logs: [" + kLogA +
                       ", zxGZFVvd0FEmjR8WrFwMdcAJ9vtaY/QXf44Y1wUeP6A=]\n"
                       "          witnesses:\n            threshold: 2\n            keys: [\"" +
                       kW1 + "\", \"" + kW2 + "\", \"" + kW3 + "\"]\n");
  ASSERT_TRUE(p.ok()) << p.error().message;
  const auto& req = *p->environments.at(0).rules.at(0).transparency_log;
  // The base64 log id of Rekor v2's log2025-1 (tests/data production trusted_root.json) in hex.
  EXPECT_EQ(req.logs, (std::vector<std::string>{kLogA, kLogA}));
  EXPECT_EQ(req.witness_threshold, 2);
  EXPECT_EQ(req.witnesses.size(), 3u);
  EXPECT_EQ(req.line, 8);
}

TEST(LogPolicy, RefusesMalformedRequirementsWithTheirLine) {
  const std::pair<std::string, std::string> cases[] = {
      {"          log: []\n", "policy.yaml:8: unknown transparency_log key \"log\" (expected logs, witnesses)"},
      {"          logs: [abc]\n", "policy.yaml:8: logs: log \"abc\" is neither a log id of 64 hex digits nor base64"},
      {"          witnesses:\n            threshold: 2\n            keys: [\"" + kW1 + "\"]\n",
       "policy.yaml:9: witnesses: threshold must be 1..1 (the number of keys)"},
      {"          witnesses:\n            threshold: 1\n", "policy.yaml:9: witnesses: keys: list at least one"},
      {"          witnesses:\n            keys: [\"w1+0a1b2c3d+AAAA\"]\n",
       "witnesses: a witness vkey's key is base64 of 0x04 and a 32-byte Ed25519 key"},
      {"          witnesses:\n            keys: [\"w1+0A1B2C3D+AAAA\"]\n",
       "a witness vkey's key id is 8 lower-case hex"},
      {"          witnesses:\n            keys: [\"w1\"]\n", "a witness vkey is NAME+KEYID+KEY"},
      {"          witnesses:\n            keys: [\"w1+0a1b2c3d\"]\n", "a witness vkey is NAME+KEYID+KEY"},
      {"          witnesses:\n            keys: [\"" + kW1 + "\", \"" + kW1 + "\"]\n", "is listed twice"},
      {"          witnesses:\n            quorum: 1\n", "unknown witnesses key \"quorum\""},
      {"          [a]\n", "transparency_log must be a mapping"},
  };
  for (const auto& [yaml, message] : cases) {
    const auto p = parse(yaml);
    ASSERT_FALSE(p.ok()) << yaml;
    EXPECT_NE(p.error().message.find(message), std::string::npos) << p.error().message;
  }
}

TEST(LogPolicy, AnEnvelopeWithoutAnEntryIsNotCounted) {
  const auto p = parse("          logs: [" + kLogA + "]\n");
  ASSERT_TRUE(p.ok());
  const Decision d = judge(*p, bundle({}));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason_code, "no-tlog");
  EXPECT_TRUE(said(d, "no verified transparency-log entry, which this rule requires"));
}

TEST(LogPolicy, AnEntryInAnUnlistedLogIsNotCounted) {
  const auto p = parse("          logs: [" + kLogA + "]\n");
  ASSERT_TRUE(p.ok());
  Decision d = judge(*p, bundle({in_log(kLogB)}));
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(
      said(d, "its log entries are in log(s) 0011223344556677 (log.example.com), none of which this rule lists"));
  d = judge(*p, bundle({in_log(kLogB), in_log(kLogA)}));
  EXPECT_TRUE(d.allowed) << d.reasons.at(0);
  // No logs: listed: any entry the trusted root verified counts.
  const auto any = parse("          witnesses:\n            keys: [\"" + kW1 + "\"]\n");
  ASSERT_TRUE(any.ok());
  EXPECT_TRUE(judge(*any, bundle({in_log(kLogB, {kW1})})).allowed);
}

TEST(LogPolicy, CountsWitnessCosignaturesToTheThreshold) {
  const auto p = parse("          logs: [" + kLogA +
                       "]\n          witnesses:\n            threshold: 2\n"
                       "            keys: [\"" +
                       kW1 + "\", \"" + kW2 + "\", \"" + kW3 + "\"]\n");
  ASSERT_TRUE(p.ok());
  Decision d = judge(*p, bundle({in_log(kLogA, {kW2})}));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason_code, "no-tlog");
  EXPECT_TRUE(
      said(d, "2 of 3 witness cosignatures are required, its checkpoint has 1 (missing: w1.example, w3.example)"))
      << d.reasons.at(1);
  // A cosignature by a key the rule does not list counts for nothing.
  d = judge(*p, bundle({in_log(kLogA, {kW2, vkey("stranger", 9)})}));
  EXPECT_FALSE(d.allowed);
  d = judge(*p, bundle({in_log(kLogA, {kW3, kW1})}));
  EXPECT_TRUE(d.allowed) << d.reasons.at(0);
}

}  // namespace
}  // namespace chartprov::policy
