#include "app/sign/gnupg_signing.hpp"

#include <gtest/gtest.h>

#include <ctime>

#include "app/verify/keyring_loader.hpp"
#include "infra/process/process.hpp"
#include "openpgp/signature.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"

using namespace chartprov;

namespace {

const std::string kText = "name: demo\r\nversion: 0.1.0\r\n";

Result<app::GnupgSignature> sign(const std::string& keyring, const std::string& key, const std::string& pass = "") {
  app::GnupgSignRequest req;
  req.source = test::private_copy(test::data("helm/" + keyring));
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
  // Only a GnuPG stub (gnu-dummy) for the primary: the subkey still signs.
  const auto stub = sign("generated/keys/subkey-ed25519.secret-subkeys-only.sec.gpg", "subkey-ed25519");
  ASSERT_TRUE(stub.ok()) << stub.error().message;
  EXPECT_EQ(stub->fingerprint, s->fingerprint);
  expect_valid(*stub, "generated/keys/subkey-ed25519.pub.gpg");
}

TEST(GnupgSigning, ExpiredAndRevokedKeysAreRefused) {
  const auto expired = sign("generated/keys/expired-rsa2048.sec.gpg", "expired");
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.error().message.find("expired"), std::string::npos) << expired.error().message;
  // The secret keyring alone holds no revocation: it signs. With the public
  // keyring's revocation signature merged in, it must not.
  EXPECT_TRUE(sign("generated/keys/revoked-rsa2048.sec.gpg", "revoked").ok());
  test::TempDir dir;
  test::write_text(dir / "merged.gpg", test::read_text(test::data("helm/generated/keys/revoked-rsa2048.sec.gpg")) +
                                           test::read_text(test::data("helm/generated/keys/revoked-rsa2048.pub.gpg")));
  test::make_private(dir / "merged.gpg");
  app::GnupgSignRequest req;
  req.source = dir / "merged.gpg";
  req.key = "revoked";
  req.created = static_cast<std::uint32_t>(std::time(nullptr));
  req.data = to_bytes(kText);
  const auto revoked = app::sign_with_gnupg(req);
  ASSERT_FALSE(revoked.ok());
  EXPECT_NE(revoked.error().message.find("revoked"), std::string::npos) << revoked.error().message;
}

// Issue 14 finding 9: a secret keyring others may read is refused like a
// 0644 key file, before anything is read or sent to the helper.
TEST(GnupgSigning, ASecretKeyringOthersMayReadIsRefused) {
  const auto ring = test::private_copy(test::data("helm/generated/keys/rsa3072.sec.gpg"));
  std::filesystem::permissions(ring, std::filesystem::perms::group_read | std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  app::GnupgSignRequest req;
  req.source = ring;
  req.key = "rsa3072";
  req.data = to_bytes(kText);
  const auto r = app::sign_with_gnupg(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "secret keyring " + ring.string() +
                                   " is accessible by group or others (mode 0644); run: chmod 600 " + ring.string());
  test::make_private(ring);
  EXPECT_TRUE(app::sign_with_gnupg(req).ok());
}

TEST(GnupgSigning, PublicOnlyKeyringIsNotAPrivateKey) {
  const auto r = sign("generated/keys/rsa3072.pub.gpg", "rsa3072");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not a private key"), std::string::npos) << r.error().message;
}

TEST(GnupgSigning, KeyByFingerprintAndExactUidBeatsSubstring) {
  const auto by_fpr = sign("generated/keys/rsa3072.sec.gpg", "9D4CD8361B4D4CDA687F142ACC3ECB7EEEFD22AE");
  ASSERT_TRUE(by_fpr.ok()) << by_fpr.error().message;
  EXPECT_EQ(by_fpr->fingerprint, "9D4CD8361B4D4CDA687F142ACC3ECB7EEEFD22AE");
  const auto by_id = sign("generated/keys/rsa3072.sec.gpg", "cc3ecb7eeefd22ae");
  EXPECT_TRUE(by_id.ok());
  // Both keys of two-secret-keys contain "TEST KEY"; one uid given whole selects one.
  const auto ring = app::load_keyring(test::data("helm/generated/keys/two-secret-keys.sec.gpg"));
  ASSERT_TRUE(ring.ok());
  ASSERT_FALSE(ring->keys.empty());
  ASSERT_FALSE(ring->keys[0].user_ids.empty());
  const auto exact = sign("generated/keys/two-secret-keys.sec.gpg", ring->keys[0].user_ids[0]);
  ASSERT_TRUE(exact.ok()) << exact.error().message;
  EXPECT_EQ(exact->user_ids, ring->keys[0].user_ids);
}

// A GnuPG home made here by real gpg, with a passphrase: we sign through it,
// and gpg itself verifies the detached signature.
class GnupgHome : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto r = gpg({"--pinentry-mode", "loopback", "--passphrase", kPass, "--quick-gen-key",
                        "Home Signer <home@test.invalid>", "ed25519", "sign", "0"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void TearDown() override {
    (void)process::run_process({"/usr/bin/gpgconf", "--homedir", home_.path().string(), "--kill", "all"}, {});
  }
  process::ProcessResult gpg(std::vector<std::string> args) {
    std::vector<std::string> argv = {"/usr/bin/gpg", "--homedir", home_.path().string(), "--batch", "--no-tty"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = process::run_process(argv, {});
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : process::ProcessResult{};
  }
  Result<app::GnupgSignature> sign_here(const std::string& pass) {
    app::GnupgSignRequest req;
    req.source = home_.path();
    req.key = "home@test.invalid";
    req.passphrase = SecretString(pass);
    req.created = static_cast<std::uint32_t>(std::time(nullptr));
    req.data = to_bytes(kText);
    return app::sign_with_gnupg(req);
  }
  // Quotes, a backslash and non-ASCII UTF-8: the request's JSON escaping
  // must hand RNP exactly the bytes gpg protected the key with.
  static constexpr const char* kPass = "correct \"horse\" \\ b\xc3\xa4ttery \xe2\x9c\x93";
  test::TempDir home_;
  test::TempDir work_;
};

TEST_F(GnupgHome, SignsAndGpgVerifies) {
  const auto s = sign_here(kPass);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->user_ids, std::vector<std::string>{"Home Signer <home@test.invalid>"});
  test::write_text(work_ / "data", kText);
  test::write_text(work_ / "data.sig", std::string(s->signature.begin(), s->signature.end()));
  const auto v = gpg({"--status-fd", "1", "--verify", (work_ / "data.sig").string(), (work_ / "data").string()});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.out.find("[GNUPG:] VALIDSIG " + s->fingerprint), std::string::npos) << v.out;
  // And a changed byte is caught by gpg too (the test can fail).
  test::write_text(work_ / "data", kText + "x");
  EXPECT_NE(gpg({"--verify", (work_ / "data.sig").string(), (work_ / "data").string()}).exit_code, 0);
  // The home's public keyring, read through the bridge, verifies it as well.
  const auto ring = app::load_keyring(home_.path(), {false});
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  const auto sigs = openpgp::parse_signatures(s->signature);
  ASSERT_TRUE(sigs.ok() && sigs->size() == 1u);
  ASSERT_EQ(ring->keys.size(), 1u);
  EXPECT_TRUE(openpgp::verify_signature((*sigs)[0], ring->keys[0].key, as_bytes(kText)).valid);
}

TEST_F(GnupgHome, WrongOrMissingPassphrase) {
  const auto wrong = sign_here("not it");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("wrong passphrase"), std::string::npos) << wrong.error().message;
  const auto none = sign_here("");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("passphrase"), std::string::npos) << none.error().message;
  // gpg-agent caches a passphrase once it was right: the wrong one given
  // next must still fail.
  ASSERT_TRUE(sign_here(kPass).ok());
  const auto after = sign_here("not it");
  ASSERT_FALSE(after.ok());
  EXPECT_NE(after.error().message.find("wrong passphrase"), std::string::npos) << after.error().message;
  const auto missing = [&] {
    app::GnupgSignRequest req;
    req.source = home_.path();
    req.key = "nobody@nowhere.invalid";
    req.data = to_bytes(kText);
    return app::sign_with_gnupg(req);
  }();
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("private key not found"), std::string::npos) << missing.error().message;
}

// `gpg --export-secret-subkeys` of a key whose only signing key is the
// primary leaves a GNU-dummy stub there and only an encryption subkey's
// secret: nothing can sign, and the helper must say so rather than sign
// with the wrong key or pass the stub to the codec.
TEST_F(GnupgHome, SecretSubkeysOnlyExportWithNoSigningSecret) {
  ASSERT_EQ(gpg({"--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key",
                 "Stub Signer <stub@test.invalid>", "ed25519", "cert,sign", "0"})
                .exit_code,
            0);
  const auto list = gpg({"--with-colons", "--list-keys", "stub@test.invalid"});
  const auto at = list.out.find("\nfpr:::::::::");
  ASSERT_NE(at, std::string::npos) << list.out;
  const std::string fpr = list.out.substr(at + 13, 40);
  ASSERT_EQ(gpg({"--pinentry-mode", "loopback", "--passphrase", "", "--quick-add-key", fpr, "cv25519", "encr", "0"})
                .exit_code,
            0);
  const auto exported = gpg({"--pinentry-mode", "loopback", "--passphrase", "", "--export-secret-subkeys", fpr});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  ASSERT_FALSE(exported.out.empty());
  test::write_text(work_ / "stub.sec.gpg", exported.out);
  test::make_private(work_ / "stub.sec.gpg");

  app::GnupgSignRequest req;
  req.source = work_ / "stub.sec.gpg";
  req.key = "stub@test.invalid";
  req.data = to_bytes(kText);
  const auto r = app::sign_with_gnupg(req);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("no valid signing key with its secret part"), std::string::npos)
      << r.error().message;
  // The full secret key of the same entity does sign (the refusal above is
  // about the stub, not the key).
  const auto full = gpg({"--pinentry-mode", "loopback", "--passphrase", "", "--export-secret-keys", fpr});
  test::write_text(work_ / "full.sec.gpg", full.out);
  test::make_private(work_ / "full.sec.gpg");
  req.source = work_ / "full.sec.gpg";
  const auto ok = app::sign_with_gnupg(req);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->fingerprint, fpr);
}
