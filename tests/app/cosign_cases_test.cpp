// Every key-, blob- and helmprov- row of tests/data/cosign/cases.tsv gives
// its expected result (bundle- rows: bundle_cases_test.cpp; oci- rows: tests/oci).
#include <gtest/gtest.h>

#include "app/verify/verify_plain.hpp"
#include "envelope/cosign/blob_signature.hpp"
#include "envelope/cosign/key_file.hpp"
#include "support/case_table.hpp"
#include "util/file.hpp"

namespace chartprov {
namespace {

using test::CosignCase;

std::string read(const std::filesystem::path& p) {
  auto t = read_file(p, 1u << 26);
  return t.ok() ? std::string(as_chars(*t)) : std::string();
}

// ok / fail, with the reason on failure.
std::pair<bool, std::string> run_key_case(const CosignCase& c) {
  const auto r = cosign::read_cosign_private_key(read(c.path(c.key)), SecretString(c.password));
  return {r.ok(), r.ok() ? "" : r.error().message};
}

std::pair<bool, std::string> run_blob_case(const CosignCase& c) {
  const auto key = cosign::read_cosign_public_key(read(c.path(c.key)));
  if (!key.ok()) return {false, key.error().message};
  const std::string artifact = read(c.path(c.artifact));
  const std::string sig_file = read(c.path(c.signature));
  const Bytes sig = cosign::decode_signature_file(as_bytes(sig_file));
  return {cosign::verify_blob(*key, as_bytes(artifact), sig), "signature does not verify"};
}

std::pair<bool, std::string> run_helmprov_case(const CosignCase& c) {
  app::PlainVerifyRequest req;
  req.chart = c.path(c.artifact);
  req.prov = c.path(c.signature);
  req.trust.keyring = c.path(c.key);
  req.trust.use_keyring_cache = false;
  // The rekor test key expired in June 2023 (1687836087). The rows' verdicts
  // are at signing time, as rekor and gpg judge them; chartprov (like helm v4)
  // refuses a key expired *now*, so the rows run at a time inside its validity.
  // (ExpiredNowIsRefused below checks today's verdict.)
  req.now = 1687836000;
  const auto r = app::verify_plain(req);
  if (!r.ok()) return {false, r.error().message};
  return {r->verified(), r->prov->reasons.empty() ? "" : r->prov->reasons.front()};
}

TEST(CosignCases, KeyBlobAndHelmProvRowsGiveTheirExpectedResult) {
  const auto cases = test::cosign_cases();
  ASSERT_EQ(cases.size(), 94u);  // every row of ../shared/vectors/cosign/cases.tsv
  int ran = 0;
  for (const auto& c : cases) {
    std::pair<bool, std::string> got;
    if (c.name.rfind("key-", 0) == 0) {
      got = run_key_case(c);
    } else if (c.name.rfind("blob-", 0) == 0) {
      got = run_blob_case(c);
    } else if (c.name.rfind("helmprov-", 0) == 0) {
      got = run_helmprov_case(c);
    } else if (c.name.rfind("bundle-", 0) == 0 || c.name.rfind("oci-", 0) == 0) {
      continue;  // bundle_cases_test.cpp and tests/oci run these
    } else {
      ADD_FAILURE() << "unknown kind of case: " << c.name;
      continue;
    }
    ++ran;
    const bool want_ok = c.expected == "ok";
    EXPECT_EQ(got.first, want_ok) << c.name << " (" << c.source << "): " << got.second;
  }
  EXPECT_EQ(ran, 51);  // 25 key + 23 blob + 3 helmprov rows
}

TEST(CosignCases, TheRekorChartIsRefusedTodayBecauseItsKeyExpired) {
  app::PlainVerifyRequest req;
  req.chart = test::data("cosign/upstream/rekor/test-0.1.0.tgz");
  req.prov = test::data("cosign/upstream/rekor/test-0.1.0.tgz.prov");
  req.trust.keyring = test::data("cosign/upstream/rekor/test_helm_armor.pub");
  req.trust.use_keyring_cache = false;
  const auto r = app::verify_plain(req);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->verified());
  ASSERT_FALSE(r->prov->reasons.empty());
  EXPECT_NE(r->prov->reasons[0].find("expired"), std::string::npos) << r->prov->reasons[0];
}

TEST(CosignCases, FailuresSayWhy) {
  const auto cases = test::cosign_cases();
  const auto find = [&](const std::string& name) {
    for (const auto& c : cases) {
      if (c.name == name) return c;
    }
    ADD_FAILURE() << name;
    return CosignCase{};
  };
  EXPECT_NE(run_key_case(find("key-neg-scrypt-n16384")).second.find("unsupported scrypt parameters"),
            std::string::npos);
  EXPECT_NE(run_key_case(find("key-chartprov-p256-wrong-password")).second.find("decryption failed"),
            std::string::npos);
  EXPECT_NE(run_key_case(find("key-upstream-cosign-pemcosigneckey-sec1-plaintext")).second.find("PKCS#8"),
            std::string::npos);
  EXPECT_NE(run_key_case(find("key-neg-short-nonce")).second.find("24 bytes"), std::string::npos);
  EXPECT_NE(run_key_case(find("key-neg-unknown-cipher")).second.find("cipher"), std::string::npos);
  EXPECT_NE(run_blob_case(find("blob-neg-ec-public-key-pem-label")).second.find("unknown Public key PEM"),
            std::string::npos);
}

}  // namespace
}  // namespace chartprov
