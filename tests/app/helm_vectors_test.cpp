// Every row of tests/data/helm/cases.tsv through plain verify: the expected
// verdict, and for each refused case the reason that must be given.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "app/verify/trust_material.hpp"
#include "app/verify/verify_plain.hpp"
#include "support/test_support.hpp"

using namespace chartprov;

namespace {

struct Case {
  std::string name, chart, prov, keyring, expected;
};

// gtest prints parameters in test names and failures: the case name says it all.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::vector<Case> load_cases() {
  std::ifstream in(test::data("helm/cases.tsv"));
  std::vector<Case> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream s(line);
    Case c;
    std::getline(s, c.name, '\t');
    std::getline(s, c.chart, '\t');
    std::getline(s, c.prov, '\t');
    std::getline(s, c.keyring, '\t');
    std::getline(s, c.expected, '\t');
    out.push_back(c);
  }
  return out;
}

// For refused cases: a phrase the reasons (or the error) must contain.
const std::map<std::string, std::string>& expected_reasons() {
  static const std::map<std::string, std::string> m = {
      {"weak-helm-rsa1024", "RSA key of 1024 bits is too weak"},
      {"weak-gpg-rsa1024", "RSA key of 1024 bits is too weak"},
      {"gpg-digest-sha1", "SHA1 signatures are refused"},
      {"gpg-digest-md5", "MD5 signatures are refused"},
      {"gpg-digest-ripemd160", "RIPEMD160 signatures are refused"},
      {"neg-helm-subkey-primary-certonly", "not allowed to sign"},
      {"neg-no-hash-header", "no Hash: header"},
      {"neg-hash-header-mismatch", "Hash: header does not name"},
      {"neg-hash-header-unknown", "Hash:"},
      {"neg-tampered-tgz", "sha256 mismatch"},
      {"neg-untrusted-key", "not in the keyring"},
      {"neg-wrong-keyring", "not in the keyring"},
      {"neg-name-mismatch", "signed chart name"},
      {"neg-version-mismatch", "signed chart version"},
      {"neg-no-metadata", "provenance message"},
      {"neg-renamed-archive", "does not contain a digest for a file named \"other-0.1.0.tgz\""},
      {"neg-signed-under-other-name", "does not match the signed chart"},
      {"neg-uppercase-hex", "provenance message"},
      {"neg-sha512-entry", "provenance message"},
      {"neg-duplicate-files-entry", "provenance message"},
      {"neg-duplicate-files-entry-good-last", "provenance message"},
      {"neg-files-key-capitalized", "provenance message"},
      {"neg-extra-message-part", "provenance message"},
      {"neg-no-separator", "provenance message"},
      {"neg-tampered-body", "invalid signature"},
      {"neg-tampered-signature-issuer", "not in the keyring"},
      {"neg-tampered-signature-value", "invalid signature"},
      {"neg-truncated-prov", "provenance"},
      {"neg-truncated-armor", "signature block"},
      {"neg-empty-prov", "provenance"},
      {"neg-detached-armored-sig", "provenance"},
      {"neg-no-prov", "no usable provenance file"},
      {"neg-not-tgz-extension", "chart must be a .tgz file"},
      {"neg-expired-key", "expired"},
      {"neg-revoked-key", "revoked"},
      {"keyring-empty", "not in the keyring"},
      {"keyring-missing", "does-not-exist.gpg"},
      {"upstream-hashtest-wrong-key", "not in the keyring"},
      {"upstream-msgblock-tampered", "invalid signature"},
  };
  return m;
}

// Every reason plain verify gave for the row: the .prov judge's, or the error.
std::string all_reasons(const Result<app::PlainVerifyResult>& r) {
  if (!r.ok()) return r.error().message;
  if (!r->prov) return "no report of the .prov";
  std::string s;
  for (const auto& x : r->prov->reasons) s += x + "\n";
  return s;
}

// The row as plain verify's request: the chart, its .prov ("-": the default
// CHART.prov), the keyring.
app::PlainVerifyRequest plain_request_for(const Case& c) {
  app::PlainVerifyRequest plain;
  plain.chart = test::data("helm/" + c.chart);
  if (c.prov != "-") plain.prov = test::data("helm/" + c.prov);
  plain.trust.keyring = test::data("helm/" + c.keyring);
  return plain;
}

class HelmVectors : public ::testing::TestWithParam<Case> {};

// Plain verify (the staged chart, the keyring's judge, the no-environment
// policy) gives the row's verdict; a refusal gives its reason. The decision
// and the .prov judge's report agree.
TEST_P(HelmVectors, GivesExpectedVerdictAndReason) {
  const Case& c = GetParam();
  const app::PlainVerifyRequest req = plain_request_for(c);
  const auto r = app::verify_plain(req);
  const bool verified = r.ok() && r->verified();
  if (r.ok()) {
    ASSERT_TRUE(r->prov.has_value()) << c.name;
    EXPECT_EQ(r->prov->verified, verified) << c.name;
    EXPECT_TRUE(r->decision.blocks() != verified) << c.name;
    EXPECT_EQ(r->evidence.trust_source, "keyring " + req.trust.keyring->string());
  }
  if (c.expected == "ok") {
    EXPECT_TRUE(verified) << c.name << ": " << all_reasons(r);
    if (verified) {
      ASSERT_NE(r->prov->signer(), nullptr);
      EXPECT_EQ(r->prov->digest.rfind("sha256:", 0), 0u);
      EXPECT_FALSE(r->prov->chart_name.empty());
      EXPECT_TRUE(r->prov->reasons.empty());
    }
  } else {
    ASSERT_EQ(c.expected, "fail");
    EXPECT_FALSE(verified) << c.name;
    const auto it = expected_reasons().find(c.name);
    ASSERT_NE(it, expected_reasons().end()) << "no expected reason listed for " << c.name;
    EXPECT_NE(all_reasons(r).find(it->second), std::string::npos)
        << c.name << ": expected a reason containing '" << it->second << "', got:\n"
        << all_reasons(r);
  }
}

// verify-repo's and mirror's call (verify_plain with the material loaded once)
// decides every row as the one-shot call does, with the same report. A
// keyring that does not load is the one-shot's error; then there is nothing
// to hand the loaded variant.
TEST_P(HelmVectors, LoadedMaterialDecidesAsTheOneShotVerify) {
  const Case& c = GetParam();
  const app::PlainVerifyRequest plain = plain_request_for(c);
  const auto one_shot = app::verify_plain(plain);
  const auto material = app::load_trust_material(plain.trust, 0);
  if (!material.ok()) {
    ASSERT_FALSE(one_shot.ok()) << c.name;
    return;
  }
  app::PlainVerifyRequest per_chart = plain;
  per_chart.trust = {};  // the loaded variant reads the material, never the request's paths
  const auto loaded = app::verify_plain(per_chart, *material);
  if (!one_shot.ok()) {
    // The one-shot looks at the chart's file first (a directory, a missing file); the loaded
    // variant leaves that to the reader, whose refusal is a reason. Either way: no allow.
    EXPECT_TRUE(!loaded.ok() || !loaded->verified()) << c.name;
    return;
  }
  ASSERT_TRUE(loaded.ok()) << c.name << ": " << loaded.error().message;
  EXPECT_EQ(loaded->verified(), one_shot->verified()) << c.name;
  EXPECT_EQ(loaded->verified(), c.expected == "ok") << c.name;
  EXPECT_EQ(loaded->decision.reasons, one_shot->decision.reasons) << c.name;
  ASSERT_TRUE(loaded->prov.has_value());
  EXPECT_EQ(loaded->prov->reasons, one_shot->prov->reasons) << c.name;
  EXPECT_EQ(loaded->prov->digest, one_shot->prov->digest);
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string n = info.param.name;
  for (auto& ch : n) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(CasesTsv, HelmVectors, ::testing::ValuesIn(load_cases()), case_name);

TEST(HelmVectorsTable, HasEveryRow) { EXPECT_EQ(load_cases().size(), 86u); }

}  // namespace
