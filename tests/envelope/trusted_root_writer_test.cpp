// envelope/sigstore/trusted_root_writer.hpp: what it writes reads back with
// parse_trusted_root, field for field, in protojson's shape.
#include "envelope/sigstore/trusted_root_writer.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "envelope/sigstore/certificate_pem.hpp"
#include "support/test_support.hpp"

namespace chartprov {
namespace {

std::vector<Bytes> ders(const std::string& file) {
  const auto certs = sigstore::read_pem_certificates(test::read_text(test::data("private-ca/" + file)));
  std::vector<Bytes> out;
  if (!certs.ok()) return out;
  for (const auto& c : *certs) out.push_back(c.der());
  return out;
}

TEST(TrustedRootWriter, ReadsBackFieldForField) {
  sigstore::CertificateAuthority ca;
  ca.uri = "https://ca.example.com";
  ca.chain = ders("chain.pem");
  ca.valid = {1796611336, 2112231736};
  sigstore::CertificateAuthority other;
  other.chain = ders("other-root.pem");
  other.valid.start = 0;  // no end: open
  sigstore::TimestampAuthority tsa;
  tsa.chain = ders("leaf.pem");
  tsa.chain.push_back(ders("chain.pem").at(0));
  tsa.chain.push_back(ders("chain.pem").at(1));
  tsa.valid = {1796611336, 2112231736};
  const std::string text = sigstore::write_trusted_root({ca, other}, {tsa});
  const auto root = sigstore::parse_trusted_root(text);
  ASSERT_TRUE(root.ok()) << root.error().message;
  ASSERT_EQ(root->certificate_authorities.size(), 2u);
  EXPECT_EQ(root->certificate_authorities[0].uri, ca.uri);
  EXPECT_EQ(root->certificate_authorities[0].chain, ca.chain);
  EXPECT_EQ(root->certificate_authorities[0].valid.start, ca.valid.start);
  EXPECT_EQ(root->certificate_authorities[0].valid.end, ca.valid.end);
  EXPECT_EQ(root->certificate_authorities[1].uri, "");
  EXPECT_EQ(root->certificate_authorities[1].chain, other.chain);
  EXPECT_FALSE(root->certificate_authorities[1].valid.end.has_value());
  ASSERT_EQ(root->timestamp_authorities.size(), 1u);
  EXPECT_EQ(root->timestamp_authorities[0].chain, tsa.chain);
  EXPECT_TRUE(root->tlogs.empty());
  EXPECT_TRUE(root->ctlogs.empty());
}

TEST(TrustedRootWriter, WritesProtojsonShape) {
  sigstore::CertificateAuthority ca;
  ca.chain = ders("root.pem");
  ca.valid = {0, 86400};
  const auto doc = nlohmann::ordered_json::parse(sigstore::write_trusted_root({ca}, {}));
  // Proto field order, camelCase, empty lists and the empty uri left out, times in UTC with "Z".
  EXPECT_EQ(doc.dump(),
            R"({"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1",)"
            R"("certificateAuthorities":[{"certChain":{"certificates":[{"rawBytes":")" +
                doc["certificateAuthorities"][0]["certChain"]["certificates"][0]["rawBytes"].get<std::string>() +
                R"("}]},"validFor":{"start":"1970-01-01T00:00:00Z","end":"1970-01-02T00:00:00Z"}}]})");
}

}  // namespace
}  // namespace chartprov
