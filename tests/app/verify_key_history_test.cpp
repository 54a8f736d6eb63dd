// verify --key-history: a good .prov stops counting when keys.json says the
// key was outside its window or revoked at the signature's time.
#include <gtest/gtest.h>

#include "app/keys/key_history_file.hpp"
#include "app/verify/verify_plain.hpp"
#include "support/test_support.hpp"

namespace chartprov::app {
namespace {

const char* kCase = "helm/generated/cases/ok-helm-rsa3072/demo-0.1.0.tgz";

PlainVerifyRequest request() {
  PlainVerifyRequest req;
  req.chart = test::data(kCase);
  req.trust.keyring = test::data("helm/generated/keys/rsa3072.pub.gpg");
  req.trust.use_keyring_cache = false;
  return req;
}

// Plain verify's report of the .prov, its verdict the decision's.
VerifyReport verify_with(const keys::KeyHistory* history, test::TempDir& dir) {
  PlainVerifyRequest req = request();
  if (history != nullptr) {
    req.trust.key_history = dir / "keys.json";
    EXPECT_TRUE(save_key_history(*req.trust.key_history, *history).ok());
  }
  auto r = verify_plain(req);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (!r.ok() || !r->prov) return VerifyReport{};
  EXPECT_EQ(r->prov->verified, r->verified());
  return *r->prov;
}

class VerifyKeyHistory : public ::testing::Test {
 protected:
  void SetUp() override {
    const VerifyReport plain = verify_with(nullptr, dir_);
    ASSERT_TRUE(plain.verified);
    ASSERT_NE(plain.signer(), nullptr);
    fingerprint_ =
        plain.signer()->primary_fingerprint.empty() ? plain.signer()->fingerprint : plain.signer()->primary_fingerprint;
    signed_at_ = *plain.signer()->created;
    record_.id = std::string(64, 'a');
    record_.algorithm = "rsa-3072";
    record_.created = record_.not_before = signed_at_ - 1000;
    record_.openpgp_fingerprint = fingerprint_;
  }
  keys::KeyHistory history() const { return keys::KeyHistory{{record_}}; }

  test::TempDir dir_;
  std::string fingerprint_;
  std::int64_t signed_at_ = 0;
  keys::KeyRecord record_;
};

TEST_F(VerifyKeyHistory, AnActiveListedKeyCounts) {
  const auto h = history();
  EXPECT_TRUE(verify_with(&h, dir_).verified);
}

TEST_F(VerifyKeyHistory, ARetiredKeyCountsForSignaturesInsideItsWindowOnly) {
  record_.status = keys::KeyStatus::kRetired;
  record_.not_after = signed_at_ + 10;
  auto h = history();
  EXPECT_TRUE(verify_with(&h, dir_).verified);
  record_.not_after = signed_at_ - 10;
  h = history();
  const auto r = verify_with(&h, dir_);
  EXPECT_FALSE(r.verified);
  ASSERT_FALSE(r.reasons.empty());
  EXPECT_NE(r.reasons[0].find("after key"), std::string::npos) << r.reasons[0];
}

TEST_F(VerifyKeyHistory, RevocationCountsFromItsDateOrEntirelyWhenCompromised) {
  record_.status = keys::KeyStatus::kRevoked;
  record_.revoked_at = signed_at_ + 100;
  auto h = history();
  EXPECT_TRUE(verify_with(&h, dir_).verified);  // signed before the revocation
  record_.revoked_at = signed_at_ - 100;
  h = history();
  EXPECT_FALSE(verify_with(&h, dir_).verified);
  record_.revoked_at = signed_at_ + 100;
  record_.compromised = true;
  h = history();
  const auto r = verify_with(&h, dir_);
  EXPECT_FALSE(r.verified);
  EXPECT_NE(r.reasons[0].find("compromised"), std::string::npos);
}

TEST_F(VerifyKeyHistory, AKeyMissingFromTheHistoryDoesNotCount) {
  record_.openpgp_fingerprint = std::string(40, 'F');
  const auto h = history();
  const auto r = verify_with(&h, dir_);
  EXPECT_FALSE(r.verified);
  EXPECT_NE(r.reasons[0].find("not in the key history"), std::string::npos);
}

TEST_F(VerifyKeyHistory, AnUnreadableOrUnsafeHistoryIsAnInputError) {
  PlainVerifyRequest req = request();
  req.trust.key_history = dir_ / "missing.json";
  EXPECT_FALSE(verify_plain(req).ok());
  test::write_text(dir_ / "bad.json", "{\"version\": 1}");
  req.trust.key_history = dir_ / "bad.json";
  EXPECT_FALSE(verify_plain(req).ok());
  const auto h = history();
  ASSERT_TRUE(save_key_history(dir_ / "open.json", h).ok());
  std::filesystem::permissions(dir_ / "open.json", std::filesystem::perms::group_write,
                               std::filesystem::perm_options::add);
  req.trust.key_history = dir_ / "open.json";
  EXPECT_FALSE(verify_plain(req).ok());
}

}  // namespace
}  // namespace chartprov::app
