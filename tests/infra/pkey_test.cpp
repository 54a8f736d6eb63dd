#include "infra/openssl/pkey.hpp"

#include <gtest/gtest.h>

#include "infra/openssl/digest.hpp"
#include "infra/openssl/pk_signature.hpp"

using namespace chartprov;
using namespace chartprov::crypto;

namespace {

Bytes digest_of(DigestAlg alg, std::string_view text) {
  auto d = Digest::create(alg);
  d->update(text);
  return d->finish();
}

}  // namespace

TEST(GenerateKey, EverySpecAndUnknownOnes) {
  struct {
    const char* spec;
    KeyType type;
    unsigned bits;
  } const cases[] = {{"rsa-3072", KeyType::kRsa, 3072},
                     {"rsa-4096", KeyType::kRsa, 4096},
                     {"ecdsa-p256", KeyType::kEc, 256},
                     {"ecdsa-p384", KeyType::kEc, 384},
                     {"ed25519", KeyType::kEd25519, 256}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.spec);
    auto key = generate_key(c.spec);
    ASSERT_TRUE(key.ok()) << key.error().message;
    EXPECT_EQ(key_type(*key), c.type);
    EXPECT_EQ(key_bits(*key), c.bits);
    EXPECT_TRUE(has_private_key(*key));
    auto spki = spki_der(*key);
    ASSERT_TRUE(spki.ok());
    EXPECT_EQ((*spki)[0], 0x30);
  }
  auto bad = generate_key("rsa-1024");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kUsage);
}

TEST(PKey, ComponentsRoundTripIntoPublicKeys) {
  auto rsa = generate_key("rsa-3072");
  ASSERT_TRUE(rsa.ok());
  auto n = bn_param(*rsa, "n");
  auto e = bn_param(*rsa, "e");
  ASSERT_TRUE(n.ok() && e.ok());
  EXPECT_EQ(n->size(), 384u);
  EXPECT_EQ(*e, (Bytes{0x01, 0x00, 0x01}));
  auto rsa_pub = rsa_public_key(*n, *e);
  ASSERT_TRUE(rsa_pub.ok()) << rsa_pub.error().message;
  EXPECT_FALSE(has_private_key(*rsa_pub));
  EXPECT_EQ(*spki_der(*rsa_pub), *spki_der(*rsa));

  auto ec = generate_key("ecdsa-p384");
  ASSERT_TRUE(ec.ok());
  EXPECT_EQ(*ec_group_name(*ec), "secp384r1");
  auto point = ec_public_point(*ec);
  ASSERT_TRUE(point.ok());
  EXPECT_EQ(point->size(), 97u);
  EXPECT_EQ((*point)[0], 0x04);
  auto ec_pub = ec_public_key("secp384r1", *point);
  ASSERT_TRUE(ec_pub.ok());
  EXPECT_EQ(*spki_der(*ec_pub), *spki_der(*ec));
  // A point that is not on the curve is refused.
  Bytes off = *point;
  off.back() ^= 1;
  EXPECT_FALSE(ec_public_key("secp384r1", off).ok());
  EXPECT_FALSE(ec_public_key("no-such-curve", *point).ok());

  auto ed = generate_key("ed25519");
  auto raw = raw_public_bytes(*ed);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->size(), 32u);
  EXPECT_FALSE(raw_public_key("ED25519", ByteView(*raw).first(31)).ok());
}

TEST(PkSignature, RsaPkcs1SignVerify) {
  auto key = generate_key("rsa-3072");
  ASSERT_TRUE(key.ok());
  for (DigestAlg alg : {DigestAlg::kSha256, DigestAlg::kSha384, DigestAlg::kSha512, DigestAlg::kSha224,
                        DigestAlg::kSha1, DigestAlg::kSha3_256, DigestAlg::kSha3_512}) {
    SCOPED_TRACE(openssl_name(alg));
    const Bytes d = digest_of(alg, "chart");
    auto sig = sign_rsa_pkcs1(*key, alg, d);
    ASSERT_TRUE(sig.ok()) << sig.error().message;
    EXPECT_EQ(sig->size(), 384u);
    EXPECT_TRUE(verify_rsa_pkcs1(*key, alg, d, *sig));
    Bytes other = d;
    other[0] ^= 1;
    EXPECT_FALSE(verify_rsa_pkcs1(*key, alg, other, *sig));
  }
  // Signed as SHA-256, checked as SHA3-256 (same size, other DigestInfo).
  const Bytes d = digest_of(DigestAlg::kSha256, "chart");
  auto sig = sign_rsa_pkcs1(*key, DigestAlg::kSha256, d);
  EXPECT_FALSE(verify_rsa_pkcs1(*key, DigestAlg::kSha3_256, d, *sig));
  // MD5 is refused both ways; a digest of the wrong size too.
  const Bytes md5 = digest_of(DigestAlg::kMd5, "chart");
  EXPECT_FALSE(sign_rsa_pkcs1(*key, DigestAlg::kMd5, md5).ok());
  EXPECT_FALSE(sign_rsa_pkcs1(*key, DigestAlg::kSha256, md5).ok());
  // Extra leading zero octets (a non-minimal MPI, as Helm 3 writes) still verify.
  Bytes padded(2, 0);
  padded.insert(padded.end(), sig->begin(), sig->end());
  EXPECT_TRUE(verify_rsa_pkcs1(*key, DigestAlg::kSha256, d, padded));
  // A value with more significant octets than the modulus does not.
  padded[0] = 1;
  EXPECT_FALSE(verify_rsa_pkcs1(*key, DigestAlg::kSha256, d, padded));
}

TEST(PkSignature, EcdsaAndEddsa) {
  auto ec = generate_key("ecdsa-p256");
  const Bytes d = digest_of(DigestAlg::kSha512, "chart");  // longer than the order: truncated
  auto rs = sign_dsa_or_ecdsa(*ec, d);
  ASSERT_TRUE(rs.ok()) << rs.error().message;
  EXPECT_LE(rs->r.size(), 32u);
  EXPECT_TRUE(verify_dsa_or_ecdsa(*ec, d, rs->r, rs->s));
  EXPECT_FALSE(verify_dsa_or_ecdsa(*ec, d, rs->s, rs->r));
  EXPECT_FALSE(verify_dsa_or_ecdsa(*ec, d, {}, rs->s));

  auto ed = generate_key("ed25519");
  auto sig = sign_eddsa(*ed, d);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->size(), 64u);
  EXPECT_TRUE(verify_eddsa(*ed, d, *sig));
  EXPECT_FALSE(verify_eddsa(*ed, ByteView(d).first(63), *sig));
  EXPECT_FALSE(verify_eddsa(*ec, d, *sig));  // wrong key type: false, no crash
}

TEST(PkSignature, DerEncodingIsStrict) {
  const Bytes r = {0x00, 0x80, 0x01};  // leading zero dropped, sign octet added
  const Bytes s = {0x7f};
  const Bytes der = encode_dsa_signature_der(r, s);
  EXPECT_EQ(der, (Bytes{0x30, 0x08, 0x02, 0x03, 0x00, 0x80, 0x01, 0x02, 0x01, 0x7f}));
  auto back = decode_dsa_signature_der(der);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->r, (Bytes{0x80, 0x01}));
  EXPECT_EQ(back->s, s);
  // Long form lengths for P-521 sized integers.
  const Bytes big(66, 0xff);
  const Bytes long_der = encode_dsa_signature_der(big, big);
  EXPECT_EQ(long_der[1], 0x81);
  auto long_back = decode_dsa_signature_der(long_der);
  ASSERT_TRUE(long_back.ok());
  EXPECT_EQ(long_back->r, big);
  // Non-minimal integer, negative integer, trailing bytes, truncation.
  EXPECT_FALSE(decode_dsa_signature_der(Bytes{0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01}).ok());
  EXPECT_FALSE(decode_dsa_signature_der(Bytes{0x30, 0x06, 0x02, 0x01, 0x80, 0x02, 0x01, 0x01}).ok());
  Bytes trailing = der;
  trailing.push_back(0);
  EXPECT_FALSE(decode_dsa_signature_der(trailing).ok());
  for (std::size_t n = 0; n < der.size(); ++n) EXPECT_FALSE(decode_dsa_signature_der(ByteView(der).first(n)).ok());
}

// Public keys built from OpenPGP components are OpenSSL RSA/EC_KEY structures
// verified by OpenSSL's RSA and ECDSA code directly; keys OpenSSL made itself
// (generate_key, PEM files) go through EVP. Both give the same verdicts.
TEST(PkSignature, DirectKeysVerifyAsEvpKeysDo) {
  for (const char* spec : {"rsa-3072", "ecdsa-p256", "ecdsa-p384"}) {
    SCOPED_TRACE(spec);
    auto priv = generate_key(spec);
    ASSERT_TRUE(priv.ok());
    ASSERT_FALSE(priv->is_direct());
    const bool rsa = key_type(*priv) == KeyType::kRsa;
    auto pub = rsa ? rsa_public_key(*bn_param(*priv, "n"), *bn_param(*priv, "e"))
                   : ec_public_key(*ec_group_name(*priv), *ec_public_point(*priv));
    ASSERT_TRUE(pub.ok()) << pub.error().message;
    EXPECT_TRUE(pub->is_direct());
    EXPECT_EQ(key_type(*pub), key_type(*priv));
    EXPECT_EQ(key_bits(*pub), key_bits(*priv));
    EXPECT_EQ(*spki_der(*pub), *spki_der(*priv));
    for (DigestAlg alg : {DigestAlg::kSha256, DigestAlg::kSha512, DigestAlg::kSha1}) {
      const Bytes d = digest_of(alg, "chart");
      Bytes other = d;
      other.back() ^= 1;
      if (rsa) {
        const Bytes sig = *sign_rsa_pkcs1(*priv, alg, d);
        Bytes bad = sig;
        bad[100] ^= 1;
        for (const auto& [digest, s] : {std::pair{d, sig}, {other, sig}, {d, bad}}) {
          EXPECT_EQ(verify_rsa_pkcs1(*pub, alg, digest, s), verify_rsa_pkcs1(*priv, alg, digest, s));
        }
        EXPECT_TRUE(verify_rsa_pkcs1(*pub, alg, d, sig));
        EXPECT_FALSE(verify_rsa_pkcs1(*pub, DigestAlg::kSha3_256, d, sig));
      } else {
        const auto rs = *sign_dsa_or_ecdsa(*priv, d);
        const Bytes zero = {0};
        Bytes big(80, 0xff);
        for (const auto& [digest, r, s] :
             {std::tuple{d, rs.r, rs.s}, {other, rs.r, rs.s}, {d, rs.s, rs.r}, {d, zero, rs.s}, {d, rs.r, big}}) {
          EXPECT_EQ(verify_dsa_or_ecdsa(*pub, digest, r, s), verify_dsa_or_ecdsa(*priv, digest, r, s));
        }
        EXPECT_TRUE(verify_dsa_or_ecdsa(*pub, d, rs.r, rs.s));
      }
    }
  }
}

TEST(Digest, DirectAndEvpDigestsAgree) {
  // Known answers for "abc" (FIPS 180-4 examples) through the direct SHA code, in pieces.
  const std::pair<DigestAlg, const char*> cases[] = {
      {DigestAlg::kSha1, "a9993e364706816aba3e25717850c26c9cd0d89d"},
      {DigestAlg::kSha224, "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"},
      {DigestAlg::kSha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {DigestAlg::kSha384,
       "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
      {DigestAlg::kSha512,
       "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643c"
       "e80e2a9ac94fa54ca49f"},
  };
  for (const auto& [alg, hex] : cases) {
    auto d = Digest::create(alg);
    ASSERT_TRUE(d.ok());
    d->update(std::string_view("a"));
    d->update(std::string_view(""));
    d->update(std::string_view("bc"));
    Digest moved = std::move(*d);
    const Bytes out = moved.finish();
    EXPECT_EQ(out.size(), digest_size(alg));
    std::string got;
    for (const auto b : out) got += "0123456789abcdef"[b >> 4], got += "0123456789abcdef"[b & 15];
    EXPECT_EQ(got, hex) << openssl_name(alg);
  }
  EXPECT_EQ(sha256(as_bytes(std::string_view("abc"))), digest_of(DigestAlg::kSha256, "abc"));
}
