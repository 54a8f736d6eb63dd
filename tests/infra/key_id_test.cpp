#include "infra/openssl/key_id.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "infra/openssl/digest.hpp"
#include "infra/openssl/spki.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"

using namespace chartprov;
using namespace chartprov::crypto;

namespace {

PKey pem_key(const std::string& relative) {
  auto key = parse_public_key_pem(test::read_text(test::data(relative)));
  EXPECT_TRUE(key.ok()) << relative;
  return key.ok() ? std::move(*key) : PKey();
}

}  // namespace

// The ids below are what `openssl pkey -pubin -in KEY.pub -outform DER |
// sha256sum` prints (tests/data/SOURCES.md, "Key ids").
TEST(SpkiKeyId, PemKeysHaveTheIdOpensslAndCosignGive) {
  // chartprov-p256's id is also the hint of the bundle in cosign's shape.
  EXPECT_EQ(spki_key_id(pem_key("cosign/generated/keys/chartprov-p256.pub")).value(),
            "bec4b82e631e19e94e2033dcfe08aac25f193b2fee5e3c8b8c10b828ae9c94e5");
  EXPECT_EQ(spki_key_id(pem_key("cosign/generated/keys/upstream-rs-rsa4096.pub")).value(),
            "b961297d54cedcba1a87fd46f0d5e37046da3cb5a8aee72c72406ce0d42008d1");
  const std::string bundle =
      test::read_text(test::data("cosign/generated/bundle/test-0.1.0.tgz.cosign-shape.sigstore.json"));
  const auto hint = nlohmann::json::parse(bundle)["verificationMaterial"]["publicKey"]["hint"].get<std::string>();
  EXPECT_EQ(base64_encode(spki_key_id_bytes(pem_key("cosign/generated/keys/chartprov-p256.pub")).value()), hint);
}

TEST(SpkiKeyId, SigstoreLogIdsAreKeyIds) {
  // Sigstore names each log by the SHA-256 of its key's SPKI (logId.keyId).
  const auto root = nlohmann::json::parse(test::read_text(test::data("cosign/upstream/cosign/trusted_root_pgi.json")));
  int seen = 0;
  for (const char* kind : {"tlogs", "ctlogs"}) {
    for (const auto& log : root[kind]) {
      const auto der = base64_decode(log["publicKey"]["rawBytes"].get<std::string>());
      ASSERT_TRUE(der.ok());
      const auto key = parse_spki_der(*der);
      ASSERT_TRUE(key.ok());
      const auto id = base64_decode(log["logId"]["keyId"].get<std::string>());
      ASSERT_TRUE(id.ok());
      EXPECT_EQ(spki_key_id_bytes(*key).value(), *id);
      EXPECT_EQ(spki_key_id(*key).value(), hex_encode(*id));
      ++seen;
    }
  }
  EXPECT_EQ(seen, 3);  // one transparency log, two CT logs
  // Rekor's public-good key, as every Sigstore client knows it.
  const auto rekor = base64_decode(root["tlogs"][0]["publicKey"]["rawBytes"].get<std::string>());
  ASSERT_TRUE(rekor.ok());
  EXPECT_EQ(spki_key_id(parse_spki_der(*rekor).value()).value(),
            "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d");
}

TEST(SpkiKeyId, OneKeyInAnotherEncodingHasOneId) {
  // chartprov-p256.pub with a compressed point (`openssl ec -pubin -conv_form
  // compressed`): its own DER hashes to fa9196..., the key id is the key's.
  const auto compressed = parse_public_key_pem(
      "-----BEGIN PUBLIC KEY-----\n"
      "MDkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDIgACrpUO9GIH4MFY4xs38lmUVBBsWnro\n"
      "q5C4YiKsZQiWm1k=\n"
      "-----END PUBLIC KEY-----\n");
  ASSERT_TRUE(compressed.ok());
  EXPECT_EQ(spki_key_id(*compressed).value(), "bec4b82e631e19e94e2033dcfe08aac25f193b2fee5e3c8b8c10b828ae9c94e5");
}

TEST(SpkiKeyId, AnEd25519KeyIsItsRfc8410Spki) {
  // RFC 8410 section 10.1's public key: its PEM body is the one DER SPKI of the key.
  const std::string body = "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=";
  const auto key = parse_public_key_pem("-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
  ASSERT_TRUE(key.ok());
  const Bytes der = base64_decode(body).value();
  EXPECT_EQ(spki_der(*key).value(), der);
  EXPECT_EQ(spki_key_id(*key).value(), hex_encode(sha256(der)));
  // And a generated one: its SPKI parses back to the same key.
  const PKey generated = generate_key("ed25519").value();
  const Bytes spki = spki_der(generated).value();
  EXPECT_EQ(spki.size(), 44u);
  const auto back = parse_spki_der(spki);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(spki_der(*back).value(), spki);
}

TEST(SpkiKeyId, BytesAndHexAreOneId) {
  const PKey key = generate_key("ed25519").value();
  const Bytes id = spki_key_id_bytes(key).value();
  EXPECT_EQ(id.size(), 32u);
  EXPECT_EQ(spki_key_id(key).value(), hex_encode(id));
}

TEST(SpkiKeyId, AnEmptyKeyHasNoId) {
  const auto hex = spki_key_id(PKey());
  ASSERT_FALSE(hex.ok());
  EXPECT_EQ(hex.error().message, "cannot encode public key");
  EXPECT_FALSE(spki_key_id_bytes(PKey()).ok());
}
