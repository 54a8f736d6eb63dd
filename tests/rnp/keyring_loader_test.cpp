// The RNP bridge seen from chartprov: what each vector keyring yields, and
// the cache's behaviour (hit without the helper; poisoned or corrupt
// entries ignored).
#include "app/verify/keyring_loader.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "infra/process/process.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"

using namespace chartprov;

namespace {

openpgp::Keyring load(const std::string& rel, bool cache = true) {
  auto r = app::load_keyring(test::data("helm/" + rel), app::KeyringLoadOptions{cache});
  EXPECT_TRUE(r.ok()) << rel << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : openpgp::Keyring{};
}

const char* kRsa3072 = "9D4CD8361B4D4CDA687F142ACC3ECB7EEEFD22AE";

// Restores an environment variable on scope exit.
class EnvOverride {
 public:
  EnvOverride(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~EnvOverride() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  EnvOverride(const EnvOverride&) = delete;
  EnvOverride& operator=(const EnvOverride&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST(KeyringLoader, FormatsGiveTheSameKey) {
  for (const char* rel :
       {"generated/keys/rsa3072.pub.gpg", "generated/keys/rsa3072.pub.asc", "generated/keys/rsa3072.sec.gpg"}) {
    const auto ring = load(rel);
    ASSERT_EQ(ring.keys.size(), 1u) << rel;
    EXPECT_EQ(hex_encode_upper(ring.keys[0].key.fingerprint), kRsa3072) << rel;
    EXPECT_TRUE(ring.keys[0].can_sign);
    EXPECT_TRUE(ring.keys[0].valid);
    EXPECT_FALSE(ring.keys[0].revoked);
    EXPECT_EQ(ring.keys[0].user_ids.size(), 1u);
  }
  EXPECT_EQ(load("generated/keys/trusted.pubring.kbx").keys.size(), 6u);
  EXPECT_TRUE(load("generated/keys/empty.gpg").keys.empty());
  EXPECT_FALSE(app::load_keyring(test::data("helm/generated/keys/does-not-exist.gpg")).ok());
}

TEST(KeyringLoader, SubkeyExpiryRevocation) {
  const auto sub = load("generated/keys/subkey-ed25519.pub.gpg");
  ASSERT_EQ(sub.keys.size(), 2u);
  const auto& primary = sub.keys[0].is_subkey ? sub.keys[1] : sub.keys[0];
  const auto& subkey = sub.keys[0].is_subkey ? sub.keys[0] : sub.keys[1];
  EXPECT_FALSE(primary.can_sign);  // certify-only primary
  EXPECT_TRUE(subkey.can_sign);
  EXPECT_EQ(subkey.primary_fingerprint, primary.key.fingerprint);

  const auto expired = load("generated/keys/expired-rsa2048.pub.gpg");
  ASSERT_EQ(expired.keys.size(), 1u);
  EXPECT_NE(expired.keys[0].expires_at, 0);
  EXPECT_LT(expired.keys[0].expires_at, static_cast<std::int64_t>(std::time(nullptr)));

  const auto revoked = load("generated/keys/revoked-rsa2048.pub.gpg");
  ASSERT_EQ(revoked.keys.size(), 1u);
  EXPECT_TRUE(revoked.keys[0].revoked);
}

TEST(KeyringLoader, MixedKeyringStillYieldsTheHelmKey) {
  const auto ring = load("upstream/pkg/provenance/testdata/helm-mixed-keyring.pub");
  const auto helm = load("upstream/pkg/cmd/testdata/helm-test-key.pub");
  ASSERT_FALSE(helm.keys.empty());
  bool found = false;
  for (const auto& k : ring.keys) found = found || k.key.fingerprint == helm.keys[0].key.fingerprint;
  EXPECT_TRUE(found);
}

TEST(KeyringCache, HitNeedsNoHelperAndBadEntriesAreIgnored) {
  test::TempDir dir;
  const EnvOverride cache("CHARTPROV_CACHE_DIR", (dir / "cache").string());
  ASSERT_EQ(load("generated/keys/rsa3072.pub.gpg").keys.size(), 1u);  // fills the cache
  {
    const EnvOverride no_helper("CHARTPROV_RNP", "/nonexistent/chartprov-rnp");
    EXPECT_EQ(load("generated/keys/rsa3072.pub.gpg").keys.size(), 1u);  // from the cache
    EXPECT_FALSE(app::load_keyring(test::data("helm/generated/keys/rsa3072.pub.gpg"), {false}).ok());
    // A cache dir others may write to could hold planted keys: ignored.
    ::chmod((dir / "cache").c_str(), 0770);
    EXPECT_FALSE(app::load_keyring(test::data("helm/generated/keys/rsa3072.pub.gpg")).ok());
    ::chmod((dir / "cache").c_str(), 0700);
  }
  // A corrupt entry is ignored and rewritten.
  for (const auto& e : std::filesystem::directory_iterator(dir / "cache")) test::write_text(e.path(), "{garbage");
  EXPECT_EQ(load("generated/keys/rsa3072.pub.gpg").keys.size(), 1u);
  const EnvOverride no_helper("CHARTPROV_RNP", "/nonexistent/chartprov-rnp");
  EXPECT_EQ(load("generated/keys/rsa3072.pub.gpg").keys.size(), 1u);
}

TEST(KeyringJson, StrictParsing) {
  EXPECT_FALSE(app::parse_keyring_json("", "t").ok());
  EXPECT_FALSE(app::parse_keyring_json("[]", "t").ok());
  EXPECT_FALSE(app::parse_keyring_json(R"({"version":1,"keys":[]})", "t").ok());  // before valid_until
  EXPECT_FALSE(app::parse_keyring_json(R"({"version":3,"keys":[]})", "t").ok());
  EXPECT_TRUE(app::parse_keyring_json(R"({"version":2,"keys":[]})", "t").ok());
  EXPECT_FALSE(app::parse_keyring_json(R"({"version":2,"keys":[{"public_key":"!!"}]})", "t").ok());
}

// A real helper answer, then each field made wrong in one way: every
// mutation is refused (numbers must be integers in range: nlohmann would
// convert 1e300 to an integer with undefined behaviour).
TEST(KeyringJson, EachFieldIsCheckedOnARealAnswer) {
  const std::string helper = std::filesystem::path(CHARTPROV_BINARY).parent_path() / "chartprov-rnp";
  const auto r =
      process::run_process({helper, "keyring", test::data("helm/generated/keys/subkey-ed25519.pub.gpg").string()}, {});
  ASSERT_TRUE(r.ok() && r->exit_code == 0);
  const auto good = nlohmann::json::parse(r->out);
  ASSERT_TRUE(app::parse_keyring_json(good.dump(), "t").ok());
  const std::size_t sub = good["keys"][0]["is_subkey"].get<bool>() ? 0 : 1;

  const std::vector<std::pair<std::string, nlohmann::json>> mutations = {
      {"/version", 1.0},
      {"/version", "1"},
      {"/keys", nlohmann::json::object()},
      {"/keys/0", nlohmann::json::array()},
      {"/keys/0/public_key", ""},
      {"/keys/0/public_key", "AAAA"},
      {"/keys/0/primary_fingerprint", "ABCD"},
      {"/keys/0/primary_fingerprint", 7},
      {"/keys/0/is_subkey", 1},
      {"/keys/0/can_sign", "true"},
      {"/keys/0/valid", nullptr},
      {"/keys/0/revoked", 0},
      {"/keys/0/revocation_reason", false},
      {"/keys/0/user_ids", "x"},
      {"/keys/0/user_ids", nlohmann::json::array({1})},
      {"/keys/0/expires_at", 1e300},
      {"/keys/0/expires_at", -1},
      {"/keys/0/expires_at", 1.5},
      {"/keys/0/expires_at", std::uint64_t{1} << 40},
      {"/keys/0/expires_at", "0"},
  };
  for (const auto& [where, value] : mutations) {
    auto bad = good;
    bad[nlohmann::json::json_pointer(where)] = value;
    EXPECT_FALSE(app::parse_keyring_json(bad.dump(), "t").ok()) << where << " = " << value.dump();
  }
  for (const char* field : {"public_key", "primary_fingerprint", "is_subkey", "user_ids", "can_sign", "valid",
                            "valid_until", "expires_at", "revoked", "revocation_reason"}) {
    auto bad = good;
    bad["keys"][0].erase(field);
    EXPECT_FALSE(app::parse_keyring_json(bad.dump(), "t").ok()) << "without " << field;
  }
  // The primary's own fingerprint given to its subkey, and the reverse.
  auto self = good;
  const std::size_t primary = 1 - sub;
  const auto keys = app::parse_keyring_json(good.dump(), "t");
  ASSERT_TRUE(keys.ok());
  self["keys"][sub]["primary_fingerprint"] = hex_encode_upper(keys->keys[sub].key.fingerprint);
  EXPECT_FALSE(app::parse_keyring_json(self.dump(), "t").ok());
  auto other = good;
  other["keys"][primary]["primary_fingerprint"] = hex_encode_upper(keys->keys[sub].key.fingerprint);
  EXPECT_FALSE(app::parse_keyring_json(other.dump(), "t").ok());
  // Deep nesting and oversized input are errors, not crashes.
  EXPECT_FALSE(app::parse_keyring_json(std::string(200000, '[') + std::string(200000, ']'), "t").ok());
  EXPECT_FALSE(app::parse_keyring_json(R"({"version":1,"keys":[)" + std::string(100000, '['), "t").ok());
  EXPECT_FALSE(app::parse_keyring_json(std::string((64u << 20) + 1, ' '), "t").ok());
}

TEST(KeyringCache, EntriesOthersCouldWriteAreIgnoredAndEntriesAreTight) {
  test::TempDir dir;
  const EnvOverride cache("CHARTPROV_CACHE_DIR", (dir / "cache").string());
  ASSERT_EQ(load("generated/keys/ed25519.pub.gpg").keys.size(), 1u);
  struct stat st {};
  ASSERT_EQ(::stat((dir / "cache").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  std::filesystem::path entry;
  for (const auto& e : std::filesystem::directory_iterator(dir / "cache")) entry = e.path();
  ASSERT_FALSE(entry.empty());
  ASSERT_EQ(::stat(entry.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const EnvOverride no_helper("CHARTPROV_RNP", "/nonexistent/chartprov-rnp");
  EXPECT_TRUE(app::load_keyring(test::data("helm/generated/keys/ed25519.pub.gpg")).ok());
  ::chmod(entry.c_str(), 0620);
  EXPECT_FALSE(app::load_keyring(test::data("helm/generated/keys/ed25519.pub.gpg")).ok());
  // Another keyring's bytes never hit this entry.
  ::chmod(entry.c_str(), 0600);
  EXPECT_FALSE(app::load_keyring(test::data("helm/generated/keys/ed25519.pub.asc")).ok());
}

// Issue 14, finding 12: another keyring's entry copied over this keyring's
// entry is not this keyring's answer: each entry names the digest of the
// keyring bytes it was made from, checked on every load.
TEST(KeyringCache, AnEntryCopiedOverAnotherIsNotUsed) {
  test::TempDir dir;
  const EnvOverride cache("CHARTPROV_CACHE_DIR", (dir / "cache").string());
  const auto entries = [&] {
    std::set<std::filesystem::path> out;
    for (const auto& e : std::filesystem::directory_iterator(dir / "cache")) out.insert(e.path());
    return out;
  };
  ASSERT_EQ(load("generated/keys/rsa3072.pub.gpg").keys.size(), 1u);
  const auto rsa_entries = entries();
  ASSERT_EQ(rsa_entries.size(), 1u);
  const std::string ci = "generated/keys/ed25519.pub.gpg";
  ASSERT_EQ(load(ci).keys.size(), 1u);
  std::filesystem::path ci_entry;
  for (const auto& e : entries()) {
    if (rsa_entries.count(e) == 0) ci_entry = e;
  }
  ASSERT_FALSE(ci_entry.empty());
  std::filesystem::copy_file(*rsa_entries.begin(), ci_entry, std::filesystem::copy_options::overwrite_existing);
  ::chmod(ci_entry.c_str(), 0600);
  {
    // Without the helper the poisoned entry is the only answer: refused.
    const EnvOverride no_helper("CHARTPROV_RNP", "/nonexistent/chartprov-rnp");
    EXPECT_FALSE(app::load_keyring(test::data("helm/" + ci)).ok());
  }
  // With it, the keyring's own key, and the entry is made again.
  const auto ring = load(ci);
  ASSERT_EQ(ring.keys.size(), 1u);
  EXPECT_NE(hex_encode_upper(ring.keys[0].key.fingerprint), kRsa3072);
  const EnvOverride no_helper("CHARTPROV_RNP", "/nonexistent/chartprov-rnp");
  EXPECT_TRUE(app::load_keyring(test::data("helm/" + ci)).ok());
}
