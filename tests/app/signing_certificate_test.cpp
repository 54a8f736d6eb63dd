// app/sign/signing_certificate.hpp and `sign --certificate`: the private CA of
// tests/data/private-ca (made with the openssl CLI by its make.sh). Times are
// taken from the certificates themselves, so the tests do not age.
#include "app/sign/signing_certificate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "app/sign/sign_envelopes.hpp"
#include "envelope/cosign/blob_signature.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "infra/openssl/digest.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"
#include "util/rfc3339.hpp"

namespace chartprov {
namespace {

std::filesystem::path ca(const std::string& name) { return test::data("private-ca/" + name); }

app::SigningCertificate load(const std::string& leaf, const std::string& chain = "") {
  app::CertificateFiles files{ca(leaf), std::nullopt};
  if (!chain.empty()) files.chain = ca(chain);
  auto cert = app::load_signing_certificate(files);
  EXPECT_TRUE(cert.ok()) << (cert.ok() ? "" : cert.error().message);
  return std::move(cert).value();
}

crypto::PKey key_of(const std::string& leaf) { return load(leaf).leaf.public_key().value(); }

// The refusal of check_signing_certificate, or "(accepted)".
std::string check(const app::SigningCertificate& cert, const crypto::PKey& key, std::int64_t now) {
  const Status s = app::check_signing_certificate(cert, key, now);
  if (s.ok()) return "(accepted)";
  EXPECT_EQ(s.error().kind, ErrorKind::kInput) << s.error().message;
  return s.error().message;
}

TEST(SigningCertificate, ALeafOfTheKeyWithItsChainIsAccepted) {
  const auto cert = load("leaf.pem", "chain.pem");
  const crypto::PKey key = key_of("leaf.pem");
  EXPECT_EQ(cert.chain.size(), 2u);
  EXPECT_EQ(check(cert, key, cert.leaf.not_before()), "(accepted)");
  EXPECT_EQ(check(cert, key, cert.leaf.not_after()), "(accepted)");  // both ends inclusive
  EXPECT_EQ(check(load("leaf.pem"), key, cert.leaf.not_before() + 86400), "(accepted)");
}

TEST(SigningCertificate, EachRefusalBeforeSigning) {
  const crypto::PKey key = key_of("leaf.pem");
  const auto leaf = load("leaf.pem", "chain.pem");
  const std::int64_t now = leaf.leaf.not_before() + 86400;
  const std::string other = check(load("leaf.pem"), key_of("other-leaf.pem"), now);
  EXPECT_EQ(other.rfind("the certificate's public key is not the signing key (certificate key id ", 0), 0u) << other;
  // leaf-expired.pem: January 2020 only; leaf-future.pem: January 2040 only (make.sh).
  EXPECT_EQ(check(load("leaf-expired.pem"), key, now), "the signing certificate expired at 2020-02-01T00:00:00Z");
  EXPECT_EQ(check(load("leaf-future.pem"), key, now),
            "the signing certificate is not valid before 2040-01-01T00:00:00Z");
  EXPECT_EQ(check(leaf, key, leaf.leaf.not_before() - 1),
            "the signing certificate is not valid before " + format_rfc3339(leaf.leaf.not_before()));
  EXPECT_EQ(check(load("leaf-tls.pem", "chain.pem"), key, now),
            "the signing certificate is not for code signing (no codeSigning extended key usage)");
  EXPECT_EQ(check(load("leaf.pem", "int.pem"), key, now),
            "the certificate chain does not end with a root (a self-signed certificate): give the intermediates "
            "first, the root last");
  EXPECT_EQ(check(load("leaf.pem", "other-root.pem"), key, now),
            "the signing certificate does not chain to the certificate authority");
  EXPECT_EQ(check(load("leaf.pem", "root.pem"), key, now),
            "the signing certificate does not chain to the certificate authority");
}

TEST(SigningCertificate, TheLeafFileHoldsOneCertificate) {
  const auto cert = app::load_signing_certificate({ca("chain.pem"), std::nullopt});
  ASSERT_FALSE(cert.ok());
  EXPECT_EQ(cert.error().message, ca("chain.pem").string() +
                                      ": holds 2 certificates: give the signing certificate alone to --certificate "
                                      "and its CA certificates to --certificate-chain");
  const auto key = app::load_signing_certificate({ca("leaf.key"), std::nullopt});
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().message, ca("leaf.key").string() + ": PEM block 1 is a PRIVATE KEY, not a CERTIFICATE");
}

class SignWithCertificate : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::copy_file(test::data("cosign/upstream/rekor/test-0.1.0.tgz"), chart_);
    auto opened = app::open_signer(test::private_copy(ca("leaf.key")).string(),
                                   [](app::SecretKind, const std::string&) -> Result<SecretString> {
                                     return usage_error("no secret in this test");
                                   });
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    signer_ = std::move(*opened);
  }
  app::EnvelopeSignRequest request(std::vector<app::EnvelopeFormat> formats, const std::string& leaf) {
    app::EnvelopeSignRequest req;
    req.chart = chart_;
    req.signer = &signer_;
    req.formats = std::move(formats);
    req.certificate = load(leaf, "chain.pem");
    req.now = req.certificate->leaf.not_before() + 60;
    return req;
  }
  test::TempDir dir_;
  std::filesystem::path chart_ = dir_ / "test-0.1.0.tgz";
  app::OpenedSigner signer_;
};

TEST_F(SignWithCertificate, TheBundleCarriesTheLeafAndVerifiesWithItsKey) {
  const auto result = app::sign_envelopes(request({app::EnvelopeFormat::kSigstoreBundle}, "leaf.pem"));
  ASSERT_TRUE(result.ok()) << result.error().message;
  const std::string text = test::read_text(chart_.string() + ".sigstore.json");
  const auto bundle = sigstore::parse_bundle(text);
  ASSERT_TRUE(bundle.ok()) << bundle.error().message;
  EXPECT_EQ(bundle->minor_version, 3);
  EXPECT_EQ(bundle->certificates, std::vector<Bytes>{load("leaf.pem").leaf.der()});
  EXPECT_EQ(bundle->hint, "");
  ASSERT_TRUE(bundle->message.has_value());
  const Bytes chart = read_file(chart_).value();
  EXPECT_TRUE(cosign::verify_blob(key_of("leaf.pem"), chart, bundle->message->signature));
  // The leaf alone, base64 of its DER: no chain in a v0.3 bundle.
  const auto leaf = load("leaf.pem");
  EXPECT_NE(
      text.find("\"verificationMaterial\":{\"certificate\":{\"rawBytes\":\"" + base64_encode(leaf.leaf.der()) + "\"}}"),
      std::string::npos);
  EXPECT_EQ(text.find("x509CertificateChain"), std::string::npos);
}

TEST_F(SignWithCertificate, RefusedCertificatesWriteNothing) {
  const auto tls = app::sign_envelopes(
      request({app::EnvelopeFormat::kCosignBlob, app::EnvelopeFormat::kSigstoreBundle}, "leaf-tls.pem"));
  ASSERT_FALSE(tls.ok());
  EXPECT_EQ(tls.error().message, "the signing certificate is not for code signing (no codeSigning extended key usage)");
  const auto no_bundle = app::sign_envelopes(request({app::EnvelopeFormat::kCosignBlob}, "leaf.pem"));
  ASSERT_FALSE(no_bundle.ok());
  EXPECT_EQ(no_bundle.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(no_bundle.error().message, "a certificate goes into the Sigstore bundle: add sigstore-bundle to --format");
  EXPECT_FALSE(std::filesystem::exists(chart_.string() + ".sig"));
  EXPECT_FALSE(std::filesystem::exists(chart_.string() + ".sigstore.json"));
}

}  // namespace
}  // namespace chartprov
