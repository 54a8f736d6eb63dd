#include "openpgp/key.hpp"

#include <gtest/gtest.h>

#include "openpgp/openpgp_test_util.hpp"
#include "openpgp/packet.hpp"
#include "util/encoding.hpp"

using namespace chartprov;
using namespace chartprov::openpgp;

namespace {

struct KeyCase {
  const char* file;
  const char* fingerprint;  // as gpg --with-colons prints it
  PubKeyAlgo algo;
  unsigned bits;
  const char* curve;
  const char* label;
};

// Known answers from `gpg --show-keys --with-colons` on the same files.
const KeyCase kKeys[] = {
    {"rsa1024", "EDF27C3682BB1780F7CF904C9F0B2ECEF707049F", PubKeyAlgo::kRsa, 1024, "", "RSA-1024"},
    {"rsa2048", "2D1F934D4F1D56F9720B15A61DC806943C5BF5CB", PubKeyAlgo::kRsa, 2048, "", "RSA-2048"},
    {"rsa3072", "9D4CD8361B4D4CDA687F142ACC3ECB7EEEFD22AE", PubKeyAlgo::kRsa, 3072, "", "RSA-3072"},
    {"rsa4096", "3CBE48B05725717F2929C956A6DE8B0F4751D504", PubKeyAlgo::kRsa, 4096, "", "RSA-4096"},
    {"dsa2048", "87E47755437D05E39121D39E39273A4ADA8AFB79", PubKeyAlgo::kDsa, 2048, "", "DSA-2048"},
    {"ed25519", "03B5E3E754E8F266C27A89836482BABC9E05FF81", PubKeyAlgo::kEddsaLegacy, 255, "ED25519", "EdDSA-Ed25519"},
    {"nistp256", "4F3BE0C60AF63A25E0A7129C9334A484135E5498", PubKeyAlgo::kEcdsa, 256, "prime256v1", "ECDSA-P256"},
    {"nistp384", "E865E7B11A9384D10F7B2E13C8F96BB6FAB3301B", PubKeyAlgo::kEcdsa, 384, "secp384r1", "ECDSA-P384"},
    {"nistp521", "C0704F5519C199EE5834B743F9E7746279989A64", PubKeyAlgo::kEcdsa, 521, "secp521r1", "ECDSA-P521"},
    {"brainpoolP256r1", "CD52479C49EDB3D2E0CBBBA07671FABC76ED358E", PubKeyAlgo::kEcdsa, 256, "brainpoolP256r1",
     "ECDSA-brainpoolP256r1"},
    {"brainpoolP384r1", "22CABA283ED68F027474B817537943578EE8439D", PubKeyAlgo::kEcdsa, 384, "brainpoolP384r1",
     "ECDSA-brainpoolP384r1"},
    {"brainpoolP512r1", "E53606EA561425E688C3A498947FD0B4CC5951A1", PubKeyAlgo::kEcdsa, 512, "brainpoolP512r1",
     "ECDSA-brainpoolP512r1"},
    {"secp256k1", "2747608554FA33E9E2293915DB44A71492D0CB3D", PubKeyAlgo::kEcdsa, 256, "secp256k1", "ECDSA-secp256k1"},
};

}  // namespace

TEST(PublicKey, EveryVectorKeyHasGpgsFingerprint) {
  for (const auto& c : kKeys) {
    SCOPED_TRACE(c.file);
    const PublicKey key = test::load_public_key(c.file);
    EXPECT_EQ(key.version, 4);
    EXPECT_EQ(key.algo, c.algo);
    EXPECT_EQ(hex_encode_upper(key.fingerprint), c.fingerprint);
    EXPECT_EQ(key_id_hex(key.key_id), std::string(c.fingerprint).substr(24));
    EXPECT_EQ(key.bits, c.bits);
    EXPECT_EQ(key.curve, c.curve);
    EXPECT_EQ(algorithm_label(key), c.label);
    EXPECT_GT(key.created, 1700000000u);
  }
}

TEST(PublicKey, SubkeyAndSecretKeyPrefix) {
  const PublicKey sub = test::load_public_key("subkey-ed25519", true);
  EXPECT_EQ(hex_encode_upper(sub.fingerprint), "3364B542D218D074BF6D5D34EF4BBC6F5388AA65");
  EXPECT_EQ(sub.key_id, 0xEF4BBC6F5388AA65ull);

  // The public part at the start of a secret key packet has the same fingerprint.
  const Bytes sec = test::packet_body(test::key_file("rsa2048.sec.gpg"), 5);
  EXPECT_FALSE(parse_public_key(sec).ok());  // trailing secret fields
  auto key = parse_public_key(sec, true);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(hex_encode_upper(key->fingerprint), "2D1F934D4F1D56F9720B15A61DC806943C5BF5CB");
  EXPECT_LT(key->body.size(), sec.size());
}

TEST(PublicKey, RejectsTruncationAndBadVersions) {
  const Bytes body = test::packet_body(test::key_file("nistp256.pub.gpg"), 6);
  for (std::size_t n = 0; n < body.size(); ++n) {
    EXPECT_FALSE(parse_public_key(ByteView(body).first(n)).ok()) << n;
  }
  Bytes v3 = body;
  v3[0] = 3;
  EXPECT_FALSE(parse_public_key(v3).ok());
  Bytes v6 = body;
  v6[0] = 6;
  EXPECT_FALSE(parse_public_key(v6).ok());
  Bytes bad_oid = body;
  bad_oid[6] = 0xff;  // reserved OID length
  EXPECT_FALSE(parse_public_key(bad_oid).ok());
}

TEST(PublicKey, Ed25519NativeAndUnknownAlgorithms) {
  // RFC 9580 Ed25519 (27): 32 raw octets.
  Bytes body = {4, 0x60, 0, 0, 0, 27};
  body.resize(6 + 32, 0x42);
  auto key = parse_public_key(body);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(key->algo, PubKeyAlgo::kEd25519);
  EXPECT_EQ(key->curve, "ED25519");
  EXPECT_EQ(algorithm_label(*key), "EdDSA-Ed25519");
  body.push_back(0);
  EXPECT_FALSE(parse_public_key(body).ok());

  // An unknown algorithm parses (a keyring stays loadable) with no curve.
  Bytes unknown = {4, 0x60, 0, 0, 0, 99, 1, 2, 3};
  key = parse_public_key(unknown);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->bits, 0u);
  EXPECT_EQ(key->curve, "");
  EXPECT_EQ(key->body.size(), unknown.size());
  EXPECT_FALSE(parse_public_key(unknown, true).ok());

  // ECDSA with an unknown curve parses too.
  Bytes odd_curve = {4, 0x60, 0, 0, 0, 19, 3, 1, 2, 3, 0, 8, 0x04};
  key = parse_public_key(odd_curve);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(key->curve, "");
  EXPECT_EQ(algorithm_label(*key), "ECDSA-unknown-curve");
}

TEST(PublicKey, KeyIdHex) {
  EXPECT_EQ(key_id_hex(0x00ab00cd00ef0012ull), "00AB00CD00EF0012");
  EXPECT_EQ(key_id_hex(0), "0000000000000000");
}
