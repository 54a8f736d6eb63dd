// The trust root's update rules, one test per attack they stop (TUF root
// rotation): rollback, freeze, mix-and-match, fast-forward, one stolen key
// under a threshold, an endless document; plus rotation of the root keys.
#include "trust/trust_root.hpp"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <nlohmann/json.hpp>

#include "infra/openssl/digest.hpp"
#include "infra/openssl/spki.hpp"
#include "util/encoding.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::trust {
namespace {

using nlohmann::json;

constexpr std::int64_t kNow = 1795590000;  // 2026-11-25

struct Key {
  std::unique_ptr<signer::Signer> signer;
  std::string id;
  std::string pem;
};

Key make_key() {
  Key k;
  k.signer = signer::make_key_signer(std::move(crypto::generate_key("ecdsa-p256").value()), "test");
  k.pem = *crypto::public_key_pem(k.signer->public_key());
  k.id = hex_encode(crypto::sha256(*crypto::spki_der(k.signer->public_key())));
  return k;
}

// The same public key as a PEM SPKI with a compressed point, and the key id
// a writer would give it (SHA-256 of those DER bytes).
std::pair<std::string, std::string> compressed_form(const std::string& pem) {
  crypto::PKey key = std::move(crypto::parse_public_key_pem(pem).value());
  EVP_PKEY_set_utf8_string_param(key.get(), OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "compressed");
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(key.get(), &der);
  const Bytes bytes(der, der + len);
  OPENSSL_free(der);
  const std::string b64 = base64_encode(bytes);
  std::string out = "-----BEGIN PUBLIC KEY-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  out += "-----END PUBLIC KEY-----\n";
  return {out, hex_encode(crypto::sha256(bytes))};
}

class TrustRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 5; ++i) keys_.push_back(make_key());
  }

  // "signed" for a version with root keys (indexes into keys_) and a threshold.
  json signed_part(std::int64_t version, std::vector<int> roots, unsigned threshold,
                   std::int64_t expires = kNow + 86400) {
    json r = json::array();
    for (const int i : roots)
      r.push_back({{"key_id", keys_[i].id}, {"algorithm", "ecdsa-p256"}, {"public_key", keys_[i].pem}});
    return {{"_type", "chartprov-trust-root"},
            {"version", version},
            {"expires", format_rfc3339(expires)},
            {"root_threshold", threshold},
            {"root_keys", r},
            {"signing_keys", json::array({{{"key_id", keys_[4].id},
                                           {"algorithm", "ecdsa-p256"},
                                           {"public_key", keys_[4].pem},
                                           {"owner", "platform-ci"},
                                           {"allowed_charts", {"web-*"}},
                                           {"allowed_environments", {"production"}},
                                           {"status", "active"}}})}};
  }
  std::string document(const json& s, std::vector<int> signers) {
    const std::string canonical = s.dump();
    std::vector<Signature> sigs;
    for (const int i : signers) sigs.push_back(*sign_trust_root(canonical, *keys_[i].signer));
    return serialize_trust_root(canonical, sigs);
  }
  TrustRoot v1() { return std::move(accept_initial(document(signed_part(1, {0, 1, 2}, 2), {0, 1}), kNow).value()); }

  std::vector<Key> keys_;
};

TEST_F(TrustRootTest, AVersionSignedByAThresholdOfItsRootKeysIsAccepted) {
  auto r = accept_initial(document(signed_part(1, {0, 1, 2}, 2), {0, 2}), kNow);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->version, 1);
  ASSERT_NE(r->find_signing_key(keys_[4].id), nullptr);
  EXPECT_EQ(r->find_signing_key(keys_[4].id)->owner, "platform-ci");
}

TEST_F(TrustRootTest, OneStolenKeyIsNotAThreshold) {
  auto r = accept_initial(document(signed_part(1, {0, 1, 2}, 2), {0}), kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("1 of its root keys"), std::string::npos);
  // The same key signing twice still counts once.
  r = accept_initial(document(signed_part(1, {0, 1, 2}, 2), {0, 0}), kNow);
  EXPECT_FALSE(r.ok());
  // An update signed by the stolen key and by keys the attacker added to the new version.
  const TrustRoot current = v1();
  auto u = accept_update(current, document(signed_part(2, {0, 3}, 2), {0, 3}), kNow);
  ASSERT_FALSE(u.ok());
  EXPECT_NE(u.error().message.find("of the trusted root keys"), std::string::npos);
}

TEST_F(TrustRootTest, OneKeyInTwoEncodingsIsOneRootKey) {
  // Key 0 listed a second time with a compressed point: "2 of 2" signed by key 0 alone.
  const auto [pem, id] = compressed_form(keys_[0].pem);
  ASSERT_EQ(pem.size() < keys_[0].pem.size(), true);
  for (const std::string& listed_id : {id, keys_[0].id}) {
    json s = signed_part(1, {0}, 2);
    s["root_keys"].push_back({{"key_id", listed_id}, {"algorithm", "ecdsa-p256"}, {"public_key", pem}});
    const std::string canonical = s.dump();
    Signature sig = *sign_trust_root(canonical, *keys_[0].signer);
    Signature again = sig;
    again.key_id = listed_id;
    auto r = accept_initial(serialize_trust_root(canonical, {sig, again}), kNow);
    EXPECT_FALSE(r.ok()) << "listed as " << listed_id;
  }
  // The compressed form alone is the same key, with the same key id.
  crypto::PKey compressed = std::move(crypto::parse_public_key_pem(pem).value());
  EXPECT_EQ(hex_encode(crypto::sha256(*crypto::spki_der(compressed))), keys_[0].id);
}

TEST_F(TrustRootTest, RotationOfTheRootKeysNeedsTheOldAndTheNewThreshold) {
  const TrustRoot current = v1();
  // v2 replaces key 2 by key 3: signed by 2 old (0, 1) and 2 new (0, 3) keys.
  auto ok = accept_update(current, document(signed_part(2, {0, 1, 3}, 2), {0, 1, 3}), kNow);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->version, 2);
  // Enough old keys, but not enough of its own (key 1 is not in v2).
  auto missing_new = accept_update(current, document(signed_part(2, {0, 3, 2}, 3), {0, 1}), kNow);
  ASSERT_FALSE(missing_new.ok());
  EXPECT_NE(missing_new.error().message.find("of its own root keys"), std::string::npos);
}

TEST_F(TrustRootTest, RollbackIsRefused) {
  const TrustRoot current =
      std::move(accept_update(v1(), document(signed_part(2, {0, 1, 2}, 2), {0, 1}), kNow).value());
  auto old = accept_update(current, document(signed_part(1, {0, 1, 2}, 2), {0, 1}), kNow);
  ASSERT_FALSE(old.ok());
  EXPECT_NE(old.error().message.find("rollback"), std::string::npos);
  auto same = accept_update(current, document(signed_part(2, {0, 1, 2}, 2), {0, 1}), kNow);
  EXPECT_FALSE(same.ok());
}

TEST_F(TrustRootTest, FastForwardIsRefused) {
  auto far = accept_update(v1(), document(signed_part(1000000, {0, 1, 2}, 2), {0, 1}), kNow);
  ASSERT_FALSE(far.ok());
  EXPECT_NE(far.error().message.find("fast-forward"), std::string::npos);
}

TEST_F(TrustRootTest, FreezeIsRefused) {
  auto expired = accept_update(v1(), document(signed_part(2, {0, 1, 2}, 2, kNow - 1), {0, 1}), kNow);
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.error().message.find("freeze"), std::string::npos);
  EXPECT_FALSE(accept_initial(document(signed_part(1, {0, 1, 2}, 2, kNow - 1), {0, 1}), kNow).ok());
}

TEST_F(TrustRootTest, MixAndMatchSignaturesFromAnotherVersionDoNotCount) {
  // Valid signatures over v2, pasted onto a different v2 (other signing keys).
  const json good = signed_part(2, {0, 1, 2}, 2);
  json evil = good;
  evil["signing_keys"][0]["allowed_charts"] = {"*"};
  auto stolen = json::parse(document(good, {0, 1}))["signatures"];
  const json forged = {{"signed", evil}, {"signatures", stolen}};
  auto r = accept_update(v1(), forged.dump(), kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("0 of the trusted root keys"), std::string::npos) << r.error().message;
}

TEST_F(TrustRootTest, TheSignatureCoversTheCanonicalFormNotTheFormatting) {
  const std::string doc = document(signed_part(1, {0, 1, 2}, 2), {0, 1});
  const std::string reformatted = json::parse(doc).dump(8);  // other whitespace, same content
  EXPECT_TRUE(accept_initial(reformatted, kNow).ok());
}

TEST_F(TrustRootTest, EndlessAndMalformedDocumentsAreRefused) {
  EXPECT_FALSE(parse_trust_root(std::string(2u << 20, ' ')).ok());
  json s = signed_part(1, {0, 1, 2}, 2);
  for (const auto& [path, value] :
       std::vector<std::pair<std::string, json>>{{"/version", 1.5},
                                                 {"/version", 0},
                                                 {"/root_threshold", 4},
                                                 {"/root_threshold", 0},
                                                 {"/_type", "tuf-root"},
                                                 {"/expires", "tomorrow"},
                                                 {"/root_keys/0/key_id", std::string(64, 'a')},
                                                 {"/signing_keys/0/allowed_charts", json::array({"[x"})},
                                                 {"/signing_keys/0/status", "maybe"},
                                                 {"/extra", 1}}) {
    json bad = s;
    bad[json::json_pointer(path)] = value;
    EXPECT_FALSE(accept_initial(document(bad, {0, 1}), kNow).ok()) << path << " = " << value.dump();
  }
  json dup = s;
  dup["root_keys"].push_back(dup["root_keys"][0]);
  EXPECT_FALSE(accept_initial(document(dup, {0, 1}), kNow).ok());
}

TEST_F(TrustRootTest, ADeeplyNestedDocumentIsRefusedNotACrash) {
  // has_float once recursed once per level: 400,000 levels overflowed the stack (SIGSEGV).
  const std::string deep =
      R"({"signed": {"extra": )" + std::string(400000, '[') + std::string(400000, ']') + R"(}, "signatures": []})";
  const auto r = parse_trust_root(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "trust root nests deeper than 128 levels");
}

}  // namespace
}  // namespace chartprov::trust
