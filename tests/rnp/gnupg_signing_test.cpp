#include <gtest/gtest.h>

#include <ctime>

#include "app/gnupg_signing.hpp"
#include "app/keyring_loader.hpp"
#include "openpgp/signature.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"

using namespace chartprov;

namespace {

const std::string kText = "name: demo\r\nversion: 0.1.0\r\n";

Result<app::GnupgSignature> sign(const std::string& keyring, const std::string& key, const std::string& pass = "") {
  app::GnupgSignRequest req;
  req.source = test::data("helm/" + keyring);
  req.key = key;
  req.passphrase = SecretString(pass);
  req.created = static_cast<std::uint32_t>(std::time(nullptr));
  req.data = to_bytes(kText);
  return app::sign_with_gnupg(req);
}

// The signature verifies with the public key of the given keyring.
void expect_valid(const app::GnupgSignature& s, const std::string& pub) {
  const auto ring = app::load_keyring(test::data("helm/" + pub));
  ASSERT_TRUE(ring.ok());
  const auto sigs = openpgp::parse_signatures(s.signature);
  ASSERT_TRUE(sigs.ok() && sigs->size() == 1u);
  bool valid = false;
  for (const auto& k : ring->keys) {
    if (hex_encode_upper(k.key.fingerprint) == s.fingerprint) {
      valid = openpgp::verify_signature((*sigs)[0], k.key, as_bytes(kText)).valid;
    }
  }
  EXPECT_TRUE(valid) << s.fingerprint;
}

std::string passphrase(const std::string& file) {
  std::string p = test::read_text(test::data("helm/generated/keys/" + file));
  while (!p.empty() && (p.back() == '\n' || p.back() == '\r')) p.pop_back();
  return p;
}

}  // namespace

TEST(GnupgSigning, UnprotectedKeysOfEachAlgorithm) {
  for (const std::string alg : {"rsa3072", "ed25519", "nistp256"}) {
    const auto s = sign("generated/keys/" + alg + ".sec.gpg", alg + "@test-key.invalid");
    ASSERT_TRUE(s.ok()) << alg << ": " << s.error().message;
    expect_valid(*s, "generated/keys/" + alg + ".pub.gpg");
  }
}

TEST(GnupgSigning, Passphrases) {
  const auto ok = sign("generated/keys/rsa3072-pass.sec.gpg", "rsa3072-pass", passphrase("rsa3072-pass.passphrase"));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  expect_valid(*ok, "generated/keys/rsa3072-pass.pub.gpg");
  const auto wrong = sign("generated/keys/rsa3072-pass.sec.gpg", "rsa3072-pass", passphrase("wrong.passphrase"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("wrong passphrase"), std::string::npos);
  const auto none = sign("generated/keys/rsa3072-pass.sec.gpg", "rsa3072-pass");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("passphrase"), std::string::npos);
  // Helm's own upstream test key, CAST5-protected.
  const auto helm = sign("upstream/pkg/cmd/testdata/helm-test-key.secret", "helm-testing@helm.sh",
                         passphrase("upstream-helm-password-key.passphrase"));
  EXPECT_TRUE(helm.ok()) << helm.error().message;
}

TEST(GnupgSigning, SelectionLikeHelm) {
  const auto ambiguous = sign("generated/keys/two-secret-keys.sec.gpg", "TEST KEY");
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_NE(ambiguous.error().message.find("more than one key"), std::string::npos);
  const auto missing = sign("generated/keys/rsa3072.sec.gpg", "nobody@nowhere");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("private key not found"), std::string::npos);
  EXPECT_FALSE(sign("generated/keys/rsa3072.pub.gpg", "rsa3072").ok());  // public only
}

TEST(GnupgSigning, CertifyOnlyPrimarySignsWithItsSubkey) {
  const auto s = sign("generated/keys/subkey-ed25519.sec.gpg", "subkey-ed25519");
  ASSERT_TRUE(s.ok()) << s.error().message;
  expect_valid(*s, "generated/keys/subkey-ed25519.pub.gpg");
  const auto ring = app::load_keyring(test::data("helm/generated/keys/subkey-ed25519.pub.gpg"));
  ASSERT_TRUE(ring.ok());
  for (const auto& k : ring->keys) {
    if (!k.is_subkey) {
      EXPECT_NE(hex_encode_upper(k.key.fingerprint), s->fingerprint);  // not the primary
    }
  }
  // Only a GnuPG stub for the primary and the subkey's secret: still works or fails clearly.
  const auto stub = sign("generated/keys/subkey-ed25519.secret-subkeys-only.sec.gpg", "subkey-ed25519");
  if (stub.ok()) {
    expect_valid(*stub, "generated/keys/subkey-ed25519.pub.gpg");
  } else {
    EXPECT_FALSE(stub.error().message.empty());
  }
}
