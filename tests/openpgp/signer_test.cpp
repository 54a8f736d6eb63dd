#include "openpgp/signer.hpp"

#include <gtest/gtest.h>

#include "infra/openssl/pkey.hpp"
#include "openpgp/openssl_key.hpp"
#include "openpgp/openssl_signer.hpp"
#include "openpgp/packet.hpp"
#include "openpgp/signature.hpp"

using namespace chartprov;
using namespace chartprov::openpgp;

namespace {

constexpr std::uint32_t kKeyCreated = 1764000000;
const std::string kText = "line one\r\n- dashed\r\nfiles:\r\n  demo-0.1.0.tgz: sha256:00";

std::unique_ptr<OpenSslSigner> make_signer(const std::string& spec, bool native = false) {
  auto key = crypto::generate_key(spec);
  if (!key.ok()) throw std::runtime_error(key.error().message);
  auto signer = OpenSslSigner::create(std::move(key).value(), kKeyCreated, native);
  if (!signer.ok()) throw std::runtime_error(signer.error().message);
  return std::move(signer).value();
}

// A DigestSigner that claims one key and signs with another.
class WrongKeySigner final : public DigestSigner {
 public:
  WrongKeySigner(const DigestSigner& claimed, const DigestSigner& actual) : claimed_(claimed), actual_(actual) {}
  const PublicKey& public_key() const override { return claimed_.public_key(); }
  Result<Bytes> sign_digest(HashAlgo hash, ByteView digest) const override { return actual_.sign_digest(hash, digest); }

 private:
  const DigestSigner& claimed_;
  const DigestSigner& actual_;
};

}  // namespace

struct SpecCase {
  const char* spec;
  PubKeyAlgo algo;
  const char* label;
};

class SignerRoundTrip : public ::testing::TestWithParam<SpecCase> {};

TEST_P(SignerRoundTrip, SignsVerifiesAndDetectsChanges) {
  const SpecCase c = GetParam();
  const auto signer = make_signer(c.spec);
  const PublicKey& key = signer->public_key();
  EXPECT_EQ(key.algo, c.algo);
  EXPECT_EQ(key.created, kKeyCreated);
  EXPECT_EQ(algorithm_label(key), c.label);

  for (const HashAlgo hash : {HashAlgo::kSha512, HashAlgo::kSha3_512}) {
    SignOptions opts;
    opts.hash = hash;
    opts.created = kKeyCreated + 100;
    auto packet = make_signature_packet(*signer, opts, as_bytes(kText));
    ASSERT_TRUE(packet.ok()) << packet.error().message;
    EXPECT_EQ((*packet)[0], 0xc2);
    auto sigs = parse_signatures(*packet);
    ASSERT_TRUE(sigs.ok()) << sigs.error().message;
    ASSERT_EQ(sigs->size(), 1u);
    const Signature& sig = sigs->front();
    EXPECT_EQ(sig.type, 0x01);
    EXPECT_EQ(sig.hash_algo, static_cast<std::uint8_t>(hash));
    EXPECT_EQ(sig.created, kKeyCreated + 100);
    EXPECT_EQ(sig.issuer_fingerprint, key.fingerprint);
    EXPECT_EQ(sig.issuer_key_id, key.key_id);
    EXPECT_TRUE(sig.unhashed_area.empty());
    EXPECT_FALSE(sig.has_unknown_critical);

    const SignatureCheck ok = verify_signature(sig, key, as_bytes(kText));
    EXPECT_TRUE(ok.valid) << ok.reason;

    Bytes data = to_bytes(kText);
    data[3] ^= 0x01;
    EXPECT_FALSE(verify_signature(sig, key, data).valid);

    // Flip one bit of the signature value (last octet: inside the last MPI).
    Signature bad = sig;
    bad.signature_data.back() ^= 0x01;
    EXPECT_FALSE(verify_signature(bad, key, as_bytes(kText)).valid);
  }
}

INSTANTIATE_TEST_SUITE_P(AllKeyTypes, SignerRoundTrip,
                         ::testing::Values(SpecCase{"rsa-3072", PubKeyAlgo::kRsa, "RSA-3072"},
                                           SpecCase{"rsa-4096", PubKeyAlgo::kRsa, "RSA-4096"},
                                           SpecCase{"ecdsa-p256", PubKeyAlgo::kEcdsa, "ECDSA-P256"},
                                           SpecCase{"ecdsa-p384", PubKeyAlgo::kEcdsa, "ECDSA-P384"},
                                           SpecCase{"ed25519", PubKeyAlgo::kEddsaLegacy, "EdDSA-Ed25519"}),
                         [](const auto& param_info) {
                           std::string n = param_info.param.spec;
                           for (char& ch : n) {
                             if (ch == '-') ch = '_';
                           }
                           return n;
                         });

TEST(Signer, NativeEd25519RoundTrips) {
  const auto signer = make_signer("ed25519", true);
  EXPECT_EQ(signer->public_key().algo, PubKeyAlgo::kEd25519);
  SignOptions opts;
  opts.created = kKeyCreated;
  auto packet = make_signature_packet(*signer, opts, as_bytes(kText));
  ASSERT_TRUE(packet.ok()) << packet.error().message;
  auto sigs = parse_signatures(*packet);
  ASSERT_TRUE(sigs.ok());
  EXPECT_EQ(sigs->front().signature_data.size(), 64u);  // native, not MPIs
  EXPECT_TRUE(verify_signature(sigs->front(), signer->public_key(), as_bytes(kText)).valid);
}

TEST(Signer, BinarySignatureTypeAndNowAsDefaultTime) {
  const auto signer = make_signer("ecdsa-p256");
  SignOptions opts;
  opts.type = 0x00;
  auto packet = make_signature_packet(*signer, opts, as_bytes(kText));
  ASSERT_TRUE(packet.ok()) << packet.error().message;
  auto sigs = parse_signatures(*packet);
  ASSERT_TRUE(sigs.ok());
  EXPECT_EQ(sigs->front().type, 0x00);
  EXPECT_GT(*sigs->front().created, kKeyCreated);
  EXPECT_TRUE(verify_signature(sigs->front(), signer->public_key(), as_bytes(kText)).valid);
}

TEST(Signer, RefusesWeakHashesEarlyTimesAndWrongKeys) {
  const auto signer = make_signer("ecdsa-p256");
  SignOptions opts;
  opts.created = kKeyCreated;
  for (const HashAlgo weak : {HashAlgo::kSha1, HashAlgo::kMd5, HashAlgo::kRipemd160}) {
    opts.hash = weak;
    EXPECT_FALSE(make_signature_packet(*signer, opts, as_bytes(kText)).ok());
  }
  opts.hash = HashAlgo::kSha256;
  const auto p384 = make_signer("ecdsa-p384");  // gpg refuses hashes shorter than the order
  auto short_hash = make_signature_packet(*p384, opts, as_bytes(kText));
  ASSERT_FALSE(short_hash.ok());
  EXPECT_NE(short_hash.error().message.find("at least 384 bits"), std::string::npos) << short_hash.error().message;
  opts.hash = HashAlgo::kSha384;
  EXPECT_TRUE(make_signature_packet(*p384, opts, as_bytes(kText)).ok());
  opts.hash = HashAlgo::kSha256;
  opts.created = kKeyCreated - 1;
  EXPECT_FALSE(make_signature_packet(*signer, opts, as_bytes(kText)).ok());

  const auto other = make_signer("ecdsa-p256");
  const WrongKeySigner liar(*signer, *other);
  opts.created = kKeyCreated;
  auto r = make_signature_packet(liar, opts, as_bytes(kText));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("does not verify"), std::string::npos);
}

TEST(Signer, WithPublicKeyChecksTheKeyBelongs) {
  auto a = crypto::generate_key("ed25519");
  auto b = crypto::generate_key("ed25519");
  ASSERT_TRUE(a.ok() && b.ok());
  auto pub_a = openpgp_public_key(*a, kKeyCreated);
  ASSERT_TRUE(pub_a.ok());
  EXPECT_TRUE(OpenSslSigner::with_public_key(std::move(a).value(), *pub_a).ok());
  EXPECT_FALSE(OpenSslSigner::with_public_key(std::move(b).value(), *pub_a).ok());
}

TEST(Signer, PublicOnlyKeyCannotSign) {
  auto key = crypto::generate_key("ecdsa-p256");
  ASSERT_TRUE(key.ok());
  auto point = crypto::ec_public_point(*key);
  ASSERT_TRUE(point.ok());
  auto pub = crypto::ec_public_key("prime256v1", *point);
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  EXPECT_FALSE(OpenSslSigner::create(std::move(pub).value(), kKeyCreated).ok());
}
