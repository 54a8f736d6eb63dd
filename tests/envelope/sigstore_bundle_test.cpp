// Sigstore bundles over every bundle of the keyless vectors
// (tests/data/sigstore-keyless/cases.tsv): the malformed ones are refused at
// parse with their own message, the others keep their certificates, leaf first.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "envelope/sigstore/bundle.hpp"
#include "support/keyless_cases.hpp"
#include "util/encoding.hpp"

namespace chartprov {
namespace {

using nlohmann::json;

Bytes b64(const json& v) { return base64_decode(v.get<std::string>()).value(); }

// The rows whose bundle is malformed, and why.
const std::map<std::string, std::string>& refused_at_parse() {
  static const std::map<std::string, std::string> rows = {
      {"conf/bundle-empty-certificate-chain_fail", "x509CertificateChain holds no certificate"},
      {"py/bundle_no_cert_v1.txt", "x509CertificateChain holds no certificate"},
      {"conf/bundle-negative-log-index_fail", "tlog entry: logIndex is negative"},
      {"conf/bundle-invalid-base64-signature_fail", "\"signature\" is not base64"},
      {"conf/bundle-malformed-json_fail", "bundle is not valid JSON"},
      {"conf/bundle-unknown-version_fail",
       "unsupported bundle media type \"application/vnd.dev.sigstore.bundle+json;version=99.9\" (v0.1 to v0.3 are "
       "read)"},
      {"py/bundle_invalid_version.txt",
       "unsupported bundle media type \"this is completely wrong\" (v0.1 to v0.3 are read)"},
      {"py/bundle_no_checkpoint.txt", "tlog entry: inclusionProof without checkpoint"},
      {"conf/invalid-inclusion-proof_fail", "tlog entry: inclusionProof without checkpoint"},
      // Upstream's reason is the root certificate in the chain; sigstore-go and sigstore-python
      // refuse its checkpoint-less inclusion proof first too.
      {"conf/bundle-with-root-cert_fail", "tlog entry: inclusionProof without checkpoint"},
      {"py/tsa/bundle.many_timestamp", "more than 32 RFC 3161 timestamps"},
      {"conf/intoto-missing-inclusion-proof_fail", "v0.2+ tlog entries need an inclusion proof"},
      {"conf/rekor2-no-inclusion-proof_fail", "v0.2+ tlog entries need an inclusion proof"},
  };
  return rows;
}

TEST(SigstoreBundle, EveryKeylessBundleParsesOrIsRefusedForItsDefect) {
  int parsed = 0;
  for (const auto& c : test::keyless_cases()) {
    const std::string text = test::read_text(test::KeylessCase::path(c.bundle));
    auto b = sigstore::parse_bundle(text);
    const auto refused = refused_at_parse().find(c.id);
    if (refused != refused_at_parse().end()) {
      EXPECT_EQ(c.expect, "fail") << c.id;
      ASSERT_FALSE(b.ok()) << c.id;
      EXPECT_EQ(b.error().message, refused->second) << c.id;
      continue;
    }
    ASSERT_TRUE(b.ok()) << c.id << ": " << b.error().message;
    ++parsed;
    // Every keyless bundle carries its signing certificate, leaf first, as the JSON lists it.
    const json doc = json::parse(text);
    const json& vm = doc["verificationMaterial"];
    ASSERT_TRUE(b->has_certificate) << c.id;
    if (vm.contains("certificate")) {
      EXPECT_EQ(b->minor_version, 3) << c.id;
      ASSERT_EQ(b->certificates.size(), 1u) << c.id;
      EXPECT_EQ(b->certificates[0], b64(vm["certificate"]["rawBytes"])) << c.id;
    } else {
      const json& certs = vm["x509CertificateChain"]["certificates"];
      ASSERT_EQ(b->certificates.size(), certs.size()) << c.id;
      for (std::size_t i = 0; i < certs.size(); ++i) EXPECT_EQ(b->certificates[i], b64(certs[i]["rawBytes"])) << c.id;
    }
    EXPECT_EQ(b->certificates[0][0], 0x30) << c.id;  // a DER SEQUENCE
  }
  EXPECT_EQ(parsed, 86 - 13);
}

TEST(SigstoreBundle, AChainKeepsItsOrder) {
  const auto c = test::keyless_case("conf/bundle-with-root-cert_fail");
  json doc = json::parse(test::read_text(test::KeylessCase::path(c.bundle)));
  doc["verificationMaterial"]["tlogEntries"][0].erase("inclusionProof");  // v0.1: the SET suffices
  auto b = sigstore::parse_bundle(doc.dump());
  ASSERT_TRUE(b.ok()) << b.error().message;
  const json& certs = doc["verificationMaterial"]["x509CertificateChain"]["certificates"];
  ASSERT_EQ(b->certificates.size(), 3u);  // leaf, intermediate, root
  EXPECT_EQ(b->certificates.front(), b64(certs[0]["rawBytes"]));
  EXPECT_EQ(b->certificates.back(), b64(certs[2]["rawBytes"]));
}

TEST(SigstoreBundle, AKeyBundleHasNoCertificate) {
  auto b = sigstore::parse_bundle(
      test::read_text(test::data("cosign/upstream/sigstore-conformance/managed-key-happy-path/bundle.sigstore.json")));
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_TRUE(b->certificates.empty());
  EXPECT_FALSE(b->has_certificate);
}

// One mutation at a time of a real v0.1 bundle (certificate chain, SET and inclusion proof).
TEST(SigstoreBundle, MalformedCertificatesAndIndexesAreRefused) {
  const auto c = test::keyless_case("conf/happy-path-v0.1");
  const json good = json::parse(test::read_text(test::KeylessCase::path(c.bundle)));
  ASSERT_TRUE(sigstore::parse_bundle(good.dump()).ok());
  const auto refused = [&](const std::function<void(json&)>& mutate, const std::string& message) {
    json doc = good;
    mutate(doc);
    auto b = sigstore::parse_bundle(doc.dump());
    ASSERT_FALSE(b.ok()) << message;
    EXPECT_EQ(b.error().message, message);
  };
  refused([](json& d) { d["verificationMaterial"]["x509CertificateChain"].erase("certificates"); },
          "x509CertificateChain holds no certificate");
  refused(
      [](json& d) {
        auto& certs = d["verificationMaterial"]["x509CertificateChain"]["certificates"];
        for (int i = 0; i < 16; ++i) certs.push_back(certs[0]);
      },
      "x509CertificateChain.certificates must be a list of at most 16");
  refused([](json& d) { d["verificationMaterial"]["x509CertificateChain"]["certificates"] = "x"; },
          "x509CertificateChain.certificates must be a list of at most 16");
  refused([](json& d) { d["verificationMaterial"]["x509CertificateChain"]["certificates"][0] = json::object(); },
          "missing \"rawBytes\"");
  refused([](json& d) { d["verificationMaterial"]["x509CertificateChain"]["certificates"][0]["rawBytes"] = "!"; },
          "\"rawBytes\" is not base64");
  refused([](json& d) { d["verificationMaterial"]["tlogEntries"][0]["integratedTime"] = "-5"; },
          "tlog entry: integratedTime is negative");
  refused([](json& d) { d["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["logIndex"] = -1; },
          "tlog entry: inclusionProof logIndex or treeSize is negative");
  refused([](json& d) { d["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["treeSize"] = "-1"; },
          "tlog entry: inclusionProof logIndex or treeSize is negative");
  refused(
      [](json& d) {
        auto& vm = d["verificationMaterial"];
        vm["certificate"] = vm["x509CertificateChain"]["certificates"][0];
      },
      "verificationMaterial must hold exactly one of publicKey, certificate, chain");
}

TEST(SigstoreBundle, AV3CertificateNeedsItsBytes) {
  const auto c = test::keyless_case("conf/happy-path-v0.3");
  json doc = json::parse(test::read_text(test::KeylessCase::path(c.bundle)));
  doc["verificationMaterial"]["certificate"]["rawBytes"] = "";
  auto b = sigstore::parse_bundle(doc.dump());
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().message, "\"rawBytes\" is empty");
}

}  // namespace
}  // namespace chartprov
