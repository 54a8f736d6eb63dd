#include "app/keys/key_lifecycle.hpp"

#include <gtest/gtest.h>

#include "app/keys/key_history_file.hpp"
#include "infra/openssl/key_file.hpp"
#include "infra/openssl/key_id.hpp"
#include "support/test_support.hpp"

namespace chartprov::app {
namespace {

class KeyLifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    KeyGenRequest gen;
    gen.user_id = "CI <ci@example.com>";
    gen.output_prefix = dir_ / "ci-2026";
    gen.passphrase = &old_pw_;
    gen.now = 1767225600;  // 2026-01-01
    auto r = generate_signing_key(gen);
    ASSERT_TRUE(r.ok()) << r.error().message;
    first_ = *r;
  }
  RotateRequest rotate_request() const {
    RotateRequest req;
    req.current_key = first_.key_file;
    req.current_passphrase = &old_pw_;
    req.history = dir_ / "keys.json";
    req.output_prefix = dir_ / "ci-2027";
    req.new_passphrase = &new_pw_;
    req.now = 1795590000;
    return req;
  }

  test::TempDir dir_;
  SecretString old_pw_{"old passphrase"};
  SecretString new_pw_{"new passphrase"};
  KeyGenResult first_;
};

TEST_F(KeyLifecycle, RotationRetiresTheCurrentKeyAndRecordsTheSuccessor) {
  auto r = rotate_key(rotate_request());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->retired.status, keys::KeyStatus::kRetired);
  EXPECT_EQ(r->retired.not_after, 1795590000);
  EXPECT_EQ(r->retired.not_before, 1767225600);
  EXPECT_EQ(r->retired.openpgp_fingerprint, first_.fingerprint);
  EXPECT_EQ(r->retired.successor, r->active.id);
  EXPECT_EQ(r->active.status, keys::KeyStatus::kActive);
  EXPECT_EQ(r->active.algorithm, "ecdsa-p256");
  EXPECT_EQ(r->active.openpgp_fingerprint, r->successor.fingerprint);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "ci-2027.key"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "ci-2027.pub.gpg"));
  auto history = load_key_history(dir_ / "keys.json");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->keys.size(), 2u);
  // The successor is encrypted with the new passphrase and is the recorded key.
  auto successor = crypto::read_private_key_file(dir_ / "ci-2027.key", &new_pw_);
  ASSERT_TRUE(successor.ok());
  EXPECT_EQ(*crypto::spki_key_id(successor->key), r->active.id);
  EXPECT_EQ(successor->info.user_id, "CI <ci@example.com>");
  // Old signatures still count, new ones by the old key do not.
  EXPECT_TRUE(keys::check_key_at(history->keys[0], 1790000000, 1800000000).ok);
  EXPECT_FALSE(keys::check_key_at(history->keys[0], 1796000000, 1800000000).ok);
}

TEST_F(KeyLifecycle, OnlyTheActiveKeyRotatesAndAWrongPassphraseChangesNothing) {
  auto req = rotate_request();
  const SecretString wrong("nope");
  req.current_passphrase = &wrong;
  EXPECT_FALSE(rotate_key(req).ok());
  EXPECT_FALSE(std::filesystem::exists(dir_ / "keys.json"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "ci-2027.key"));
  ASSERT_TRUE(rotate_key(rotate_request()).ok());
  req = rotate_request();
  req.output_prefix = dir_ / "ci-2028";
  auto again = rotate_key(req);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("retired"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "ci-2028.key"));
}

TEST_F(KeyLifecycle, RevocationByIdOrFingerprint) {
  auto rotated = rotate_key(rotate_request());
  ASSERT_TRUE(rotated.ok());
  RevokeRequest rev;
  rev.history = dir_ / "keys.json";
  rev.key = first_.fingerprint;
  rev.reason = "laptop stolen";
  rev.compromised = true;
  rev.now = 1796000000;
  auto r = revoke_key(rev);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, keys::KeyStatus::kRevoked);
  EXPECT_EQ(r->revoked_at, 1796000000);
  EXPECT_TRUE(r->compromised);
  EXPECT_FALSE(revoke_key(rev).ok());  // already revoked
  rev.key = rotated->active.id;
  rev.compromised = false;
  rev.reason.clear();
  EXPECT_FALSE(revoke_key(rev).ok());  // no reason
  rev.reason = "superseded";
  ASSERT_TRUE(revoke_key(rev).ok());
  rev.key = std::string(64, '0');
  EXPECT_FALSE(revoke_key(rev).ok());
  auto history = load_key_history(dir_ / "keys.json");
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->keys[0].reason, "laptop stolen");
  EXPECT_EQ(history->keys[1].status, keys::KeyStatus::kRevoked);
}

TEST_F(KeyLifecycle, RecordNewKeyRefusesDuplicates) {
  keys::KeyRecord k;
  k.id = std::string(64, 'c');
  k.algorithm = "ecdsa-p256";
  k.created = k.not_before = 1;
  ASSERT_TRUE(record_new_key(dir_ / "keys.json", k).ok());
  EXPECT_FALSE(record_new_key(dir_ / "keys.json", k).ok());
}

}  // namespace
}  // namespace chartprov::app
