#include "app/keys/key_backup.hpp"

#include <gtest/gtest.h>

#include "infra/openssl/key_id.hpp"
#include "infra/openssl/pkcs8.hpp"

namespace chartprov::app {
namespace {

struct Backup {
  crypto::PKey key;
  std::vector<std::string> shares;
};

Backup make(const char* spec, unsigned k, unsigned n) {
  Backup b;
  auto key = crypto::generate_key(spec);
  EXPECT_TRUE(key.ok());
  b.key = std::move(*key);
  auto shares = backup_key(b.key, {1764000000, "CI <ci@example.com>"}, k, n);
  EXPECT_TRUE(shares.ok()) << shares.error().message;
  b.shares = std::move(*shares);
  return b;
}

Bytes der_of(const crypto::PKey& key) { return crypto::private_key_info_der(key)->bytes(); }

TEST(KeyBackup, AnyThresholdSharesRestoreTheSameKeyForEveryAlgorithm) {
  for (const char* spec : {"ecdsa-p256", "ecdsa-p384", "ed25519", "rsa-3072"}) {
    auto b = make(spec, 3, 5);
    ASSERT_EQ(b.shares.size(), 5u);
    auto restored = restore_key({b.shares[4], b.shares[0], b.shares[2]});
    ASSERT_TRUE(restored.ok()) << spec << ": " << restored.error().message;
    EXPECT_EQ(der_of(restored->key), der_of(b.key)) << spec;
    EXPECT_EQ(restored->info.created, 1764000000u);
    EXPECT_EQ(restored->info.user_id, "CI <ci@example.com>");
    EXPECT_EQ(restored->key_id, *crypto::spki_key_id(b.key));
  }
}

TEST(KeyBackup, FewerThanThresholdIsRefused) {
  auto b = make("ecdsa-p256", 3, 5);
  auto r = restore_key({b.shares[0], b.shares[1]});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("need 3 shares"), std::string::npos) << r.error().message;
}

TEST(KeyBackup, SharesOfDifferentKeysOrBackupsAreRefused) {
  auto a = make("ecdsa-p256", 2, 3);
  auto other = make("ecdsa-p256", 2, 3);
  auto r = restore_key({a.shares[0], other.shares[1]});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("different keys"), std::string::npos);

  auto again = backup_key(a.key, {1764000000, "CI <ci@example.com>"}, 2, 3);
  ASSERT_TRUE(again.ok());
  r = restore_key({a.shares[0], (*again)[1]});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("different backups"), std::string::npos);
}

TEST(KeyBackup, DuplicateAndCorruptSharesAreRefused) {
  auto b = make("ecdsa-p256", 2, 3);
  EXPECT_FALSE(restore_key({b.shares[0], b.shares[0]}).ok());
  std::string corrupt = b.shares[1];
  corrupt[corrupt.find("\n\n") + 5] ^= 1;
  auto r = restore_key({b.shares[0], corrupt});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("share #2"), std::string::npos) << r.error().message;
}

TEST(KeyBackup, ThresholdBelowTwoIsRefused) {
  auto key = crypto::generate_key("ecdsa-p256");
  ASSERT_TRUE(key.ok());
  EXPECT_FALSE(backup_key(*key, {}, 1, 3).ok());
  EXPECT_FALSE(backup_key(*key, {}, 4, 3).ok());
}

}  // namespace
}  // namespace chartprov::app
