// app/trust/private_trusted_root.hpp (`trusted-root create`) over the private
// CA of tests/data/private-ca (made with the openssl CLI by its make.sh).
#include "app/trust/private_trusted_root.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "envelope/sigstore/certificate_pem.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "infra/openssl/x509_certificate.hpp"
#include "support/test_support.hpp"

namespace chartprov {
namespace {

std::filesystem::path ca(const std::string& name) { return test::data("private-ca/" + name); }

std::vector<crypto::Certificate> certs(const std::filesystem::path& file) {
  return sigstore::read_pem_certificates(test::read_text(file)).value();
}

std::string refusal(std::vector<std::filesystem::path> cas, std::vector<std::filesystem::path> tsas = {}) {
  const auto root = app::make_private_trusted_root({std::move(cas), std::move(tsas), {}});
  return root.ok() ? "(accepted)" : root.error().message;
}

TEST(PrivateTrustedRoot, ListsEachChainWithTheValidityAllItsCertificatesShare) {
  test::TempDir dir;
  // A timestamp authority's chain: its own (non-CA) certificate, then its CAs.
  test::write_text(dir / "tsa.pem", test::read_text(ca("leaf.pem")) + test::read_text(ca("chain.pem")));
  const auto text = app::make_private_trusted_root({{ca("chain.pem"), ca("other-root.pem")}, {dir / "tsa.pem"}, {}});
  ASSERT_TRUE(text.ok()) << text.error().message;
  const auto root = sigstore::parse_trusted_root(*text);
  ASSERT_TRUE(root.ok()) << root.error().message;
  ASSERT_EQ(root->certificate_authorities.size(), 2u);
  const auto chain = certs(ca("chain.pem"));
  const auto& first = root->certificate_authorities[0];
  ASSERT_EQ(first.chain.size(), 2u);
  EXPECT_EQ(first.chain[0], chain[0].der());
  EXPECT_EQ(first.chain[1], chain[1].der());
  EXPECT_EQ(first.valid.start, std::max(chain[0].not_before(), chain[1].not_before()));
  EXPECT_EQ(first.valid.end, std::min(chain[0].not_after(), chain[1].not_after()));
  const auto other = certs(ca("other-root.pem"));
  EXPECT_EQ(root->certificate_authorities[1].chain, std::vector<Bytes>{other[0].der()});
  EXPECT_EQ(root->certificate_authorities[1].valid.start, other[0].not_before());
  EXPECT_EQ(root->certificate_authorities[1].valid.end, other[0].not_after());
  ASSERT_EQ(root->timestamp_authorities.size(), 1u);
  EXPECT_EQ(root->timestamp_authorities[0].chain.size(), 3u);
  EXPECT_TRUE(root->tlogs.empty());
  EXPECT_TRUE(root->ctlogs.empty());
}

TEST(PrivateTrustedRoot, RefusesChainsThatAreNotACasInOrder) {
  test::TempDir dir;
  const std::string leaf = test::read_text(ca("leaf.pem"));
  const std::string intermediate = test::read_text(ca("int.pem"));
  const std::string root = test::read_text(ca("root.pem"));
  test::write_text(dir / "full.pem", leaf + intermediate + root);
  test::write_text(dir / "reversed.pem", root + intermediate);
  test::write_text(dir / "expired.pem", test::read_text(ca("leaf-expired.pem")) + test::read_text(ca("chain.pem")));
  EXPECT_EQ(refusal({}), "name at least one CA with --certificate-chain");
  EXPECT_EQ(refusal({dir / "full.pem"}),
            (dir / "full.pem").string() +
                ": certificate 1 (CN=chart-signer,O=Example Corp) is not a CA certificate: a --certificate-chain "
                "holds the CA certificates, not the signing certificate");
  EXPECT_EQ(refusal({dir / "reversed.pem"}),
            (dir / "reversed.pem").string() +
                ": certificate 1 (CN=Example Root CA,O=Example Corp) is not issued by certificate 2 (CN=Example "
                "Signing CA,O=Example Corp): give the chain in order, the root last");
  EXPECT_EQ(
      refusal({ca("int.pem")}),
      ca("int.pem").string() + ": certificate 1 (CN=Example Signing CA,O=Example Corp) is not a self-signed root");
  EXPECT_EQ(refusal({ca("chain.pem")}, {ca("chain.pem")}),
            ca("chain.pem").string() +
                ": a --timestamp-certificate-chain starts with the timestamp authority's own certificate, then its "
                "CA certificates");
  // leaf-expired.pem (January 2020) was issued before its intermediate existed.
  EXPECT_EQ(refusal({ca("chain.pem")}, {dir / "expired.pem"}),
            (dir / "expired.pem").string() + ": its certificates are never valid at the same time");
  EXPECT_EQ(refusal({ca("leaf.key")}), ca("leaf.key").string() + ": PEM block 1 is a PRIVATE KEY, not a CERTIFICATE");
}

}  // namespace
}  // namespace chartprov
