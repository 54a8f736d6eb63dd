// envelope/sigstore/certificate_pem.hpp and cosign::read_pem_blocks: PEM
// certificate files as the openssl CLI writes them (tests/data/private-ca,
// made by its make.sh), and the refusals.
#include "envelope/sigstore/certificate_pem.hpp"

#include <gtest/gtest.h>

#include <string>

#include "envelope/cosign/pem_block.hpp"
#include "support/test_support.hpp"

namespace chartprov {
namespace {

std::string ca_file(const std::string& name) { return test::read_text(test::data("private-ca/" + name)); }

std::string error_of(std::string_view text) {
  const auto certs = sigstore::read_pem_certificates(text);
  return certs.ok() ? std::string("(accepted)") : certs.error().message;
}

TEST(CertificatePem, ChainIsReadInFileOrder) {
  const auto chain = sigstore::read_pem_certificates(ca_file("chain.pem"));
  ASSERT_TRUE(chain.ok()) << chain.error().message;
  ASSERT_EQ(chain->size(), 2u);
  // What `openssl x509 -noout -subject -nameopt RFC2253` prints for int.pem and root.pem.
  EXPECT_EQ(chain->at(0).subject_text(), "CN=Example Signing CA,O=Example Corp");
  EXPECT_EQ(chain->at(1).subject_text(), "CN=Example Root CA,O=Example Corp");
  const auto root = sigstore::read_pem_certificates(ca_file("root.pem"));
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(chain->at(1).der(), root->at(0).der());
}

TEST(CertificatePem, TextAroundTheBlocksIsSkipped) {
  // `openssl x509 -text` puts the decoded certificate before each block.
  const auto with_text = sigstore::read_pem_certificates(ca_file("chain-text.pem"));
  const auto plain = sigstore::read_pem_certificates(ca_file("chain.pem"));
  ASSERT_TRUE(with_text.ok()) << with_text.error().message;
  ASSERT_EQ(with_text->size(), 2u);
  EXPECT_EQ(with_text->at(0).der(), plain->at(0).der());
  EXPECT_EQ(with_text->at(1).der(), plain->at(1).der());
  const auto trailing = sigstore::read_pem_certificates(ca_file("leaf.pem") + "\nsome trailing words\n");
  ASSERT_TRUE(trailing.ok());
  EXPECT_EQ(trailing->size(), 1u);
}

TEST(CertificatePem, OtherBlocksAndBrokenBlocksAreRefused) {
  EXPECT_EQ(error_of("no pem here"), "no PEM block (no '-----BEGIN' line)");
  EXPECT_EQ(error_of(ca_file("leaf.pem") + ca_file("leaf.key")), "PEM block 2 is a PRIVATE KEY, not a CERTIFICATE");
  // A chain whose last block lost its END line is refused, not read as one certificate.
  std::string chain = ca_file("chain.pem");
  chain.resize(chain.rfind("-----END"));
  EXPECT_EQ(error_of(chain), "PEM block has no matching END line (truncated?)");
  EXPECT_EQ(error_of("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
            "certificate 1: not a DER X.509 certificate");
}

TEST(CertificatePem, CountAndSizeAreBounded) {
  std::string many;
  for (std::size_t i = 0; i < sigstore::kMaxPemCertificates; ++i) many += ca_file("root.pem");
  const auto sixteen = sigstore::read_pem_certificates(many);
  ASSERT_TRUE(sixteen.ok()) << sixteen.error().message;
  EXPECT_EQ(sixteen->size(), sigstore::kMaxPemCertificates);
  EXPECT_EQ(error_of(many + ca_file("root.pem")), "more than 16 PEM blocks");
  EXPECT_EQ(error_of(std::string(sigstore::kMaxCertificateFile + 1, '\n')), "certificate file larger than 256 KiB");
}

TEST(PemBlocks, ReadPemBlockStillSkipsABrokenFirstBlock) {
  // read_pem_block (one key) keeps Go's pem.Decode rule; read_pem_blocks (a list) does not.
  const std::string text = "-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n" + ca_file("root.pem");
  const auto one = cosign::read_pem_block(text);
  ASSERT_TRUE(one.ok()) << one.error().message;
  EXPECT_EQ(one->label, "CERTIFICATE");
  const auto all = cosign::read_pem_blocks(text, 4);
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.error().message, "PEM body is not base64");
}

}  // namespace
}  // namespace chartprov
