// Every vector keyring read through the RNP bridge gives the keys GnuPG
// itself lists: same fingerprints, primaries and subkeys, expiry, signing
// capability and revocation (gpg --with-colons --show-keys is the peer).
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <sstream>

#include "app/verify/keyring_loader.hpp"
#include "infra/process/process.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"

using namespace chartprov;

namespace {

struct GpgKey {
  bool is_subkey = false;
  bool can_sign = false;
  bool revoked = false;
  std::int64_t expires_at = 0;
  std::string primary;
};

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> f;
  std::stringstream ss(line);
  std::string x;
  while (std::getline(ss, x, ':')) f.push_back(x);
  return f;
}

// fingerprint -> facts, from gpg's machine-readable listing of the files
// (--show-keys), or of the home's own keyring when no file is given.
std::map<std::string, GpgKey> gpg_keys(const std::vector<std::string>& files, const std::filesystem::path& home) {
  std::vector<std::string> argv = {"/usr/bin/gpg", "--homedir", home.string(), "--batch", "--with-colons"};
  argv.emplace_back(files.empty() ? "--list-keys" : "--show-keys");
  argv.insert(argv.end(), files.begin(), files.end());
  const auto r = process::run_process(argv, {});
  EXPECT_TRUE(r.ok() && r->exit_code == 0) << (r.ok() ? r->err : r.error().message);
  std::map<std::string, GpgKey> out;
  if (!r.ok()) return out;
  std::stringstream ss(r->out);
  std::string line, primary;
  GpgKey pending, primary_facts;
  bool have = false;
  for (std::string l; std::getline(ss, l);) {
    const auto f = split(l);
    if (f.empty()) continue;
    const bool key_line = f[0] == "pub" || f[0] == "sub" || f[0] == "sec" || f[0] == "ssb";
    if (key_line && f.size() > 11) {
      pending = GpgKey{};
      pending.is_subkey = f[0] == "sub" || f[0] == "ssb";
      pending.revoked = f[1] == "r";
      pending.expires_at = f[6].empty() ? 0 : std::stoll(f[6]);
      pending.can_sign = f[11].find('s') != std::string::npos;
      have = true;
    } else if (f[0] == "fpr" && have && f.size() > 9) {
      if (!pending.is_subkey) {
        primary = f[9];
        primary_facts = pending;
      } else {
        if (primary_facts.revoked) pending.revoked = true;
        if (primary_facts.expires_at != 0 &&
            (pending.expires_at == 0 || primary_facts.expires_at < pending.expires_at)) {
          pending.expires_at = primary_facts.expires_at;
        }
      }
      pending.primary = primary;
      out[f[9]] = pending;
      have = false;
    }
  }
  return out;
}

void expect_same(const std::map<std::string, GpgKey>& want, const std::map<std::string, openpgp::KeyringKey>& got,
                 const std::string& what) {
  ASSERT_FALSE(want.empty()) << what;
  ASSERT_EQ(got.size(), want.size()) << what;
  for (const auto& [fpr, g] : want) {
    ASSERT_TRUE(got.count(fpr)) << fpr;
    const auto& k = got.at(fpr);
    EXPECT_EQ(k.is_subkey, g.is_subkey) << fpr;
    EXPECT_EQ(hex_encode_upper(k.primary_fingerprint), g.primary) << fpr;
    EXPECT_EQ(k.can_sign, g.can_sign) << fpr;
    EXPECT_EQ(k.revoked, g.revoked) << fpr;
    EXPECT_EQ(k.expires_at, g.expires_at) << fpr;
    if (!k.revoked && (k.expires_at == 0 || k.expires_at > std::time(nullptr))) {
      EXPECT_TRUE(k.valid) << fpr;
    }
  }
}

std::map<std::string, openpgp::KeyringKey> bridge_keys(const std::filesystem::path& path) {
  std::map<std::string, openpgp::KeyringKey> got;
  const auto ring = app::load_keyring(path, {false});
  EXPECT_TRUE(ring.ok()) << path << ": " << ring.error().message;
  if (ring.ok()) {
    for (const auto& k : ring->keys) got[hex_encode_upper(k.key.fingerprint)] = k;
  }
  return got;
}

void expect_same_as_gpg(const std::vector<std::string>& rels) {
  test::TempDir home;
  std::vector<std::string> files;
  std::map<std::string, openpgp::KeyringKey> got;
  for (const auto& rel : rels) {
    files.push_back(test::data("helm/" + rel).string());
    got.merge(bridge_keys(files.back()));
  }
  expect_same(gpg_keys(files, home.path()), got, rels[0]);
}

}  // namespace

// Every keyring file among the vectors, public or secret, binary or armored
// (a new vector is covered without touching this test).
TEST(KeyringPeers, GeneratedKeysMatchGnupg) {
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(test::data("helm/generated/keys"))) {
    const std::string name = e.path().filename().string();
    const bool keyring = name.ends_with(".gpg") || name.ends_with(".asc");
    if (!keyring || name == "empty.gpg") continue;
    SCOPED_TRACE(name);
    expect_same_as_gpg({"generated/keys/" + name});
    ++files;
  }
  EXPECT_GE(files, 58);  // as many as there were when this was written
}

TEST(KeyringPeers, KeyboxMatchesGnupgReadingItAsItsOwn) {
  test::TempDir home;
  std::filesystem::copy_file(test::data("helm/generated/keys/trusted.pubring.kbx"), home / "pubring.kbx");
  const auto want = gpg_keys({}, home.path());
  (void)process::run_process({"/usr/bin/gpgconf", "--homedir", home.path().string(), "--kill", "all"}, {});
  expect_same(want, bridge_keys(test::data("helm/generated/keys/trusted.pubring.kbx")), "trusted.pubring.kbx");
  expect_same(want, bridge_keys(home.path()), "a GnuPG home holding trusted.pubring.kbx");
}

TEST(KeyringPeers, UpstreamHelmKeysMatchGnupg) {
  expect_same_as_gpg({"upstream/pkg/cmd/testdata/helm-test-key.pub"});
  expect_same_as_gpg({"upstream/pkg/provenance/testdata/helm-test-key.pub"});
  expect_same_as_gpg({"upstream/pkg/provenance/testdata/helm-mixed-keyring.pub"});
  expect_same_as_gpg({"upstream/pkg/cmd/testdata/helm-test-key.secret"});
  expect_same_as_gpg({"upstream/pkg/provenance/testdata/helm-test-key.secret"});
  expect_same_as_gpg({"upstream/pkg/provenance/testdata/helm-password-key.secret"});
}

TEST(KeyringPeers, ExpiredAndRevokedAreNotValid) {
  const auto expired = app::load_keyring(test::data("helm/generated/keys/expired-rsa2048.pub.gpg"), {false});
  ASSERT_TRUE(expired.ok());
  ASSERT_EQ(expired->keys.size(), 1u);
  // Its self-signature was good, until the key expired: valid inside that window only.
  EXPECT_TRUE(expired->keys[0].valid);
  EXPECT_EQ(expired->keys[0].valid_until, expired->keys[0].expires_at);
  EXPECT_NE(expired->keys[0].valid_until, 0);
  const auto revoked = app::load_keyring(test::data("helm/generated/keys/revoked-rsa2048.pub.gpg"), {false});
  ASSERT_TRUE(revoked.ok());
  ASSERT_EQ(revoked->keys.size(), 1u);
  EXPECT_TRUE(revoked->keys[0].revoked);
  EXPECT_FALSE(revoked->keys[0].valid);
}

TEST(KeyringPeers, GnupgHomeKeyboxAndSecretKeyringsGiveThePublicKeys) {
  test::TempDir home;
  const auto pub = test::data("helm/generated/keys/trusted.pub.gpg").string();
  const auto r =
      process::run_process({"/usr/bin/gpg", "--homedir", home.path().string(), "--batch", "--import", pub}, {});
  ASSERT_TRUE(r.ok() && r->exit_code == 0) << (r.ok() ? r->err : r.error().message);
  (void)process::run_process({"/usr/bin/gpgconf", "--homedir", home.path().string(), "--kill", "all"}, {});
  ASSERT_TRUE(std::filesystem::exists(home / "pubring.kbx"));
  const auto from_home = app::load_keyring(home.path(), {false});
  ASSERT_TRUE(from_home.ok()) << from_home.error().message;
  const auto from_file = app::load_keyring(pub, {false});
  ASSERT_TRUE(from_file.ok());
  ASSERT_EQ(from_home->keys.size(), from_file->keys.size());
  for (std::size_t i = 0; i < from_file->keys.size(); ++i) {
    const auto& want = from_file->keys[i].key.fingerprint;
    EXPECT_TRUE(std::any_of(from_home->keys.begin(), from_home->keys.end(),
                            [&](const auto& k) { return k.key.fingerprint == want; }));
  }
  for (const std::string name : {"rsa3072", "ed25519", "nistp256", "subkey-ed25519", "two-secret-keys"}) {
    const auto sec = app::load_keyring(test::data("helm/generated/keys/" + name + ".sec.gpg"), {false});
    ASSERT_TRUE(sec.ok()) << name << ": " << sec.error().message;
    EXPECT_FALSE(sec->keys.empty()) << name;
  }
}

TEST(KeyringPeers, GarbledAndMissingKeyringsAreOneLineErrors) {
  test::TempDir dir;
  test::write_text(dir / "garbled.gpg", std::string("\x99\x01\x0dgarbage-garbage", 18));
  test::write_text(dir / "armored.asc",
                   "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n");
  test::write_text(dir / "text.txt", "just some text\n");
  for (const char* name : {"garbled.gpg", "armored.asc", "text.txt", "missing.gpg"}) {
    const auto r = app::load_keyring(dir / name, {false});
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.error().message.rfind("cannot read keyring " + (dir / name).string() + ": ", 0), 0u)
        << r.error().message;
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find("stream-"), std::string::npos) << r.error().message;  // no RNP chatter
  }
}
