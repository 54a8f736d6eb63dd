// app/sign/blob_signer.hpp and the cosign key files we write: round trips for
// every key type cosign supports, refusals (wrong password, garbled,
// truncated, oversized, loose permissions, non-PKCS#8), and what we write
// checked by independent readers (tests/data/cosign/tools/cosign_key.py with
// libsodium, openssl dgst).
#include "app/sign/blob_signer.hpp"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>

#include "envelope/cosign/blob_signature.hpp"
#include "envelope/cosign/key_file.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/key_file.hpp"
#include "infra/openssl/pk_signature.hpp"
#include "infra/openssl/pkcs8.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov {
namespace {

crypto::PKey make_key(const std::string& spec) {
  if (spec == "ecdsa-p521" || spec == "rsa-2048") {  // not offered by key generate, but cosign accepts them
    EVP_PKEY* raw = spec == "rsa-2048" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048))
                                       : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-521");
    return crypto::PKey(raw);
  }
  auto k = crypto::generate_key(spec);
  EXPECT_TRUE(k.ok()) << spec;
  return k.ok() ? std::move(*k) : crypto::PKey();
}

Bytes spki(const crypto::PKey& k) { return *crypto::spki_der(k); }

void write_private(const std::filesystem::path& p, const std::string& text) {
  ASSERT_TRUE(atomic_write(p, text, 0600).ok());
}

int sh(const std::string& cmd) { return std::system(cmd.c_str()); }

class EveryKeyType : public ::testing::TestWithParam<const char*> {};

TEST_P(EveryKeyType, KeyFileAndBlobSignatureRoundTrip) {
  test::TempDir dir;
  const crypto::PKey key = make_key(GetParam());
  ASSERT_TRUE(key);
  const SecretString pw("correct horse");
  auto pem = cosign::write_cosign_private_key(key, pw, 1764000000u);
  ASSERT_TRUE(pem.ok()) << pem.error().message;
  write_private(dir / "k.key", *pem);

  auto loaded = app::load_signing_key(dir / "k.key", pw);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->source_format, "cosign");
  EXPECT_EQ(loaded->openpgp_created, 1764000000u);
  EXPECT_EQ(spki(loaded->key), spki(key));

  const std::string chart = "the chart's bytes\n";
  auto sig = app::sign_blob(loaded->key, as_bytes(chart));
  ASSERT_TRUE(sig.ok()) << sig.error().message;
  test::write_text(dir / "k.pub", *cosign::write_cosign_public_key(key));
  auto pub = app::load_public_key(dir / "k.pub");
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  EXPECT_TRUE(app::verify_blob(*pub, as_bytes(chart), *sig));
  EXPECT_FALSE(app::verify_blob(*pub, as_bytes(chart + "x"), *sig));
  Bytes flipped = *sig;
  flipped[flipped.size() / 2] ^= 0x01;
  EXPECT_FALSE(app::verify_blob(*pub, as_bytes(chart), flipped));
  // The .sig as written (base64, no newline) reads back; so does raw DER.
  const std::string file = app::encode_blob_signature(*sig);
  EXPECT_EQ(file.find('\n'), std::string::npos);
  EXPECT_EQ(app::decode_blob_signature(as_bytes(file)), *sig);
  EXPECT_EQ(app::decode_blob_signature(*sig), *sig);
}

INSTANTIATE_TEST_SUITE_P(CosignKeys, EveryKeyType,
                         ::testing::Values("ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa-2048", "rsa-3072", "rsa-4096",
                                           "ed25519"));

// FORMAT.md A: the digest follows the curve; RSA is PKCS#1 v1.5 SHA-256.
TEST(CosignBlob, OpenSslVerifiesOurSignaturesWithTheDigestOfTheTable) {
  test::TempDir dir;
  const std::string chart = "bytes of a chart";
  test::write_text(dir / "chart.tgz", chart);
  for (const auto& [spec, dgst] : std::vector<std::pair<std::string, std::string>>{
           {"ecdsa-p256", "-sha256"}, {"ecdsa-p384", "-sha384"}, {"ecdsa-p521", "-sha512"}, {"rsa-3072", "-sha256"}}) {
    const crypto::PKey key = make_key(spec);
    auto sig = app::sign_blob(key, as_bytes(chart));
    ASSERT_TRUE(sig.ok()) << spec;
    test::write_text(dir / "k.pub", *cosign::write_cosign_public_key(key));
    test::write_text(dir / "s.der", std::string(as_chars(*sig)));
    const std::string base = "openssl dgst " + dgst + " -verify " + (dir / "k.pub").string() + " -signature " +
                             (dir / "s.der").string() + " ";
    EXPECT_EQ(sh(base + (dir / "chart.tgz").string() + " >/dev/null"), 0) << spec;
    // Signing the digest as the message (a classic mistake) does not verify.
    test::write_text(dir / "digest", std::string(as_chars(crypto::sha256(as_bytes(chart)))));
    EXPECT_NE(sh(base + (dir / "digest").string() + " >/dev/null 2>&1"), 0) << spec;
  }
}

TEST(CosignBlob, HighSIsAcceptedAndNonMinimalDerIsNot) {
  const crypto::PKey key = make_key("ecdsa-p256");
  const std::string msg = "m";
  auto sig = app::sign_blob(key, as_bytes(msg));
  ASSERT_TRUE(sig.ok());
  auto rs = crypto::decode_dsa_signature_der(*sig);
  ASSERT_TRUE(rs.ok());
  // s -> n - s (the other valid signature).
  static const char* kN = "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551";
  BIGNUM* n = nullptr;
  BN_hex2bn(&n, kN);
  BIGNUM* s = BN_bin2bn(rs->s.data(), static_cast<int>(rs->s.size()), nullptr);
  BN_sub(s, n, s);
  Bytes high(static_cast<std::size_t>(BN_num_bytes(s)));
  BN_bn2bin(s, high.data());
  BN_free(n);
  BN_free(s);
  const Bytes high_sig = crypto::encode_dsa_signature_der(rs->r, high);
  EXPECT_TRUE(app::verify_blob(key, as_bytes(msg), high_sig));
  // A non-minimal INTEGER (leading zero) and trailing bytes are refused.
  Bytes trailing = *sig;
  trailing.push_back(0);
  EXPECT_FALSE(app::verify_blob(key, as_bytes(msg), trailing));
}

TEST(CosignBlob, SignatureFilesAreReadAsCosignReadsThem) {
  const Bytes der = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02};
  const std::string b64 = base64_encode(der);  // MAYCAQECAQI=
  EXPECT_EQ(app::decode_blob_signature(as_bytes(b64 + "\n")), der);
  EXPECT_EQ(app::decode_blob_signature(as_bytes("MAYC\r\nAQEC\r\nAQI=\r\n")), der);
  // Go's decoder ignores unused trailing bits (not Strict): still base64.
  EXPECT_EQ(app::decode_blob_signature(as_bytes(std::string("MAYCAQECAQJ="))), der);
  // A space is not skipped by Go: the file is then raw bytes.
  const std::string spaced = "MAYC AQECAQI=";
  EXPECT_EQ(app::decode_blob_signature(as_bytes(spaced)), Bytes(spaced.begin(), spaced.end()));
  EXPECT_EQ(app::decode_blob_signature(der), der);
  EXPECT_EQ(app::encode_blob_signature(der), b64);
}

TEST(CosignKeyFile, WrongGarbledTruncatedAndOversizedKeysAreRefused) {
  const crypto::PKey key = make_key("ecdsa-p256");
  const SecretString pw("pw");
  const std::string pem = *cosign::write_cosign_private_key(key, pw, std::nullopt);
  auto wrong = cosign::read_cosign_private_key(pem, SecretString("pw2"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().message, "decryption failed");
  EXPECT_FALSE(cosign::read_cosign_private_key(pem, SecretString("")).ok());
  EXPECT_FALSE(cosign::read_cosign_private_key(pem.substr(0, pem.size() / 2), pw).ok());
  std::string garbled = pem;
  garbled[garbled.find('\n') + 10] = '!';
  EXPECT_FALSE(cosign::read_cosign_private_key(garbled, pw).ok());
  const std::string big = std::string(70000, '#') + "\n" + pem;
  auto oversized = cosign::read_cosign_private_key(big, pw);
  ASSERT_FALSE(oversized.ok());
  EXPECT_NE(oversized.error().message.find("larger"), std::string::npos);
  // Text before BEGIN and CRLF line ends are fine (Go's pem.Decode).
  std::string crlf = "a comment\r\n";
  for (const char c : pem) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  auto ok = cosign::read_cosign_private_key(crlf, pw);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_FALSE(ok->openpgp_created.has_value());
}

TEST(CosignKeyFile, AnEmptyPasswordIsARealPassword) {
  const crypto::PKey key = make_key("ed25519");
  const std::string pem = *cosign::write_cosign_private_key(key, SecretString(""), std::nullopt);
  EXPECT_TRUE(cosign::read_cosign_private_key(pem, SecretString("")).ok());
  EXPECT_FALSE(cosign::read_cosign_private_key(pem, SecretString("\n")).ok());
}

TEST(CosignKeyFile, ScryptCostsOutsideCosignsThreeAreRefusedBeforeAnyWork) {
  const std::string body = R"({"kdf":{"name":"scrypt","params":{"N":1073741824,"r":8,"p":1},"salt":"AAAA"},)"
                           R"("cipher":{"name":"nacl/secretbox","nonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},)"
                           R"("ciphertext":"AAAA"})";
  const std::string pem = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n" + base64_encode(as_bytes(body)) +
                          "\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
  const auto start = std::chrono::steady_clock::now();
  auto r = cosign::read_cosign_private_key(pem, SecretString("x"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("unsupported scrypt parameters"), std::string::npos) << r.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
  // Wrong JSON types are errors, never exceptions.
  const std::string odd = R"({"kdf":{"name":5,"params":[]},"cipher":{"name":null},"ciphertext":1})";
  const std::string odd_pem = "-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n" + base64_encode(as_bytes(odd)) +
                              "\n-----END ENCRYPTED COSIGN PRIVATE KEY-----\n";
  EXPECT_FALSE(cosign::read_cosign_private_key(odd_pem, SecretString("x")).ok());
}

TEST(CosignKeyFile, UnsupportedKeysAreNeitherWrittenNorRead) {
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(1024));
  const crypto::PKey small(raw);
  EXPECT_FALSE(cosign::write_cosign_private_key(small, SecretString("x"), std::nullopt).ok());
  const crypto::PKey k256 = crypto::PKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1"));
  EXPECT_FALSE(cosign::check_supported_key(k256).ok());
}

TEST(CosignPublicKey, OnlyPublicKeyAndRsaPublicKeyLabels) {
  test::TempDir dir;
  const crypto::PKey ec = make_key("ecdsa-p256");
  const crypto::PKey rsa = make_key("rsa-3072");
  const std::string pem = *cosign::write_cosign_public_key(ec);
  EXPECT_EQ(pem.rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u);
  EXPECT_EQ(pem.back(), '\n');
  std::string ec_label = pem;
  for (auto pos = ec_label.find("PUBLIC KEY"); pos != std::string::npos; pos = ec_label.find("PUBLIC KEY", pos + 4)) {
    ec_label.insert(pos, "EC ");
  }
  auto refused = cosign::read_cosign_public_key(ec_label);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("unknown Public key PEM file type"), std::string::npos);
  // PKCS#1 "RSA PUBLIC KEY" (what openssl rsa -RSAPublicKey_out writes) is read.
  test::write_text(dir / "k.pub", *cosign::write_cosign_public_key(rsa));
  ASSERT_EQ(sh("openssl pkey -pubin -in " + (dir / "k.pub").string() + " -outform PEM | openssl rsa -pubin " +
               "-RSAPublicKey_out -out " + (dir / "pkcs1.pub").string() + " 2>/dev/null"),
            0);
  auto pkcs1 = app::load_public_key(dir / "pkcs1.pub");
  ASSERT_TRUE(pkcs1.ok()) << pkcs1.error().message;
  EXPECT_EQ(spki(*pkcs1), spki(rsa));
  // A private key is not a public key.
  write_private(dir / "c.key", *cosign::write_cosign_private_key(ec, SecretString("x"), std::nullopt));
  EXPECT_FALSE(app::load_public_key(dir / "c.key").ok());
}

TEST(SigningKey, ChartprovKeysLoadTooAndLoosePermissionsAreRefused) {
  test::TempDir dir;
  const crypto::PKey key = make_key("ecdsa-p256");
  const SecretString pw("pass phrase");
  crypto::KeyFileInfo info;
  info.created = 1700000000;
  info.user_id = "T <t@example.com>";
  auto bytes = crypto::write_private_key_file(key, info, &pw);
  ASSERT_TRUE(bytes.ok());
  ASSERT_TRUE(atomic_write(dir / "c.key", bytes->bytes(), 0600).ok());
  auto loaded = app::load_signing_key(dir / "c.key", pw);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->source_format, "chartprov");
  EXPECT_EQ(loaded->openpgp_created, 1700000000u);
  EXPECT_EQ(spki(loaded->key), spki(key));
  EXPECT_FALSE(app::load_signing_key(dir / "c.key", SecretString("nope")).ok());
  EXPECT_FALSE(*app::is_cosign_private_key_file(dir / "c.key"));

  write_private(dir / "k.key", *cosign::write_cosign_private_key(key, pw, std::nullopt));
  EXPECT_TRUE(*app::is_cosign_private_key_file(dir / "k.key"));
  ::chmod((dir / "k.key").c_str(), 0640);
  auto loose = app::load_signing_key(dir / "k.key", pw);
  ASSERT_FALSE(loose.ok());
  EXPECT_FALSE(app::load_signing_key(dir / "missing.key", pw).ok());
  // A public key cannot sign.
  test::write_text(dir / "k.pub", *cosign::write_cosign_public_key(key));
  auto pub = app::load_public_key(dir / "k.pub");
  ASSERT_TRUE(pub.ok());
  EXPECT_FALSE(app::sign_blob(*pub, as_bytes(std::string("x"))).ok());
}

// The independent reader (python + libsodium, tests/data/cosign/tools) decrypts
// what we write to exactly our PKCS#8, and sees cosign's JSON shape.
TEST(CosignKeyFile, TheIndependentReaderDecryptsOurKeyFile) {
  if (sh("python3 -c 'import cryptography' 2>/dev/null") != 0) GTEST_SKIP() << "python3 cryptography missing";
  test::TempDir dir;
  const crypto::PKey key = make_key("ecdsa-p256");
  write_private(dir / "k.key", *cosign::write_cosign_private_key(key, SecretString("pw"), 1764000000u));
  const std::string script = "import sys, json; sys.path.insert(0, '" + test::data("cosign/tools").string() +
                             "'); import cosign_key as ck\n"
                             "label, d, der = ck.decrypt(open(sys.argv[1]).read(), b'pw')\n"
                             "assert label == 'ENCRYPTED SIGSTORE PRIVATE KEY', label\n"
                             "assert d['kdf']['params'] == {'N': 65536, 'r': 8, 'p': 1}, d\n"
                             "assert len(__import__('base64').b64decode(d['kdf']['salt'])) == 32\n"
                             "assert len(__import__('base64').b64decode(d['cipher']['nonce'])) == 24\n"
                             "assert list(d)[:3] == ['kdf', 'cipher', 'ciphertext'], list(d)\n"
                             "open(sys.argv[2], 'wb').write(der)\n";
  test::write_text(dir / "check.py", script);
  ASSERT_EQ(
      sh("python3 " + (dir / "check.py").string() + " " + (dir / "k.key").string() + " " + (dir / "out.der").string()),
      0);
  const std::string der = test::read_text(dir / "out.der");
  EXPECT_EQ(Bytes(der.begin(), der.end()), crypto::private_key_info_der(key)->bytes());
}

}  // namespace
}  // namespace chartprov

namespace chartprov {
namespace {

// Go's pem.Decode (cosign's reader): RFC 1421 headers are skipped, a block
// must start a line, a broken block is passed over for the next.
TEST(CosignPem, ReadAsGoReadsIt) {
  const crypto::PKey key = make_key("ecdsa-p256");
  const std::string pem = *cosign::write_cosign_private_key(key, SecretString("pw"), std::nullopt);
  const auto first_nl = pem.find('\n') + 1;
  const std::string with_headers =
      pem.substr(0, first_nl) + "Proc-Type: 4,ENCRYPTED\nComment: x\n\n" + pem.substr(first_nl);
  EXPECT_TRUE(cosign::read_cosign_private_key(with_headers, SecretString("pw")).ok());

  const std::string pub = *cosign::write_cosign_public_key(key);
  EXPECT_TRUE(cosign::read_cosign_public_key("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n" + pub).ok());
  EXPECT_FALSE(
      cosign::read_cosign_public_key("text -----BEGIN PUBLIC KEY-----\n" + pub.substr(pub.find('\n') + 1)).ok());
  EXPECT_FALSE(cosign::read_cosign_public_key(pub.substr(0, pub.size() - 10)).ok());
  EXPECT_FALSE(cosign::read_cosign_public_key("").ok());
}

}  // namespace
}  // namespace chartprov
