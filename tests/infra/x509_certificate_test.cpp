#include "infra/openssl/x509_certificate.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "infra/openssl/digest.hpp"
#include "support/keyless_vectors.hpp"
#include "util/encoding.hpp"

using namespace chartprov;
using namespace chartprov::crypto;

namespace {

constexpr const char* kHappyPath = "bundles/sigstore-conformance/happy-path-v0.1/bundle.sigstore.json";
constexpr const char* kProduction = "roots/production/trusted_root.json";
constexpr const char* kStaging = "roots/staging/trusted_root.json";
constexpr const char* kBeacon =
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
    "extremely-dangerous-oidc-beacon.yml@refs/heads/main";

Certificate parse(const Bytes& der) {
  auto cert = Certificate::parse_der(der);
  EXPECT_TRUE(cert.ok()) << (cert.ok() ? "" : cert.error().message);
  return std::move(cert).value();
}

Certificate leaf(const std::string& bundle) { return parse(test::bundle_leaf(bundle)); }

std::vector<Certificate> ca_chain(const std::string& root, std::size_t index) {
  const auto chains = test::root_ca_chains(root);
  std::vector<Certificate> out;
  for (const Bytes& der : chains.at(index)) out.push_back(parse(der));
  return out;
}

// One DER TLV: tag, header length, content length (short and long form lengths only).
struct Tlv {
  std::uint8_t tag = 0;
  std::size_t header = 0;
  std::size_t length = 0;
};
Tlv read_tlv(const Bytes& der, std::size_t at) {
  Tlv t{der.at(at), 2, der.at(at + 1)};
  if (t.length >= 0x80) {
    const std::size_t n = t.length & 0x7f;
    t.length = 0;
    for (std::size_t i = 0; i < n; ++i) t.length = (t.length << 8) | der.at(at + 2 + i);
    t.header = 2 + n;
  }
  return t;
}
Bytes tlv(std::uint8_t tag, const Bytes& content) {
  Bytes out{tag};
  if (content.size() < 0x80) {
    out.push_back(static_cast<std::uint8_t>(content.size()));
  } else {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(content.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(content.size()));
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

// `cert` with its first extension repeated at the end of the extensions (the
// signature no longer matches; only parsing is tested with it).
Bytes with_first_extension_twice(const Bytes& cert) {
  const Tlv outer = read_tlv(cert, 0);
  const std::size_t tbs_at = outer.header;
  const Tlv tbs = read_tlv(cert, tbs_at);
  // Walk the TBSCertificate's fields to the last one, [3] extensions.
  std::size_t at = tbs_at + tbs.header;
  const std::size_t tbs_end = at + tbs.length;
  std::size_t last = at;
  while (at < tbs_end) {
    last = at;
    const Tlv field = read_tlv(cert, at);
    at += field.header + field.length;
  }
  const Tlv explicit3 = read_tlv(cert, last);
  EXPECT_EQ(explicit3.tag, 0xa3);
  const std::size_t seq_at = last + explicit3.header;
  const Tlv seq = read_tlv(cert, seq_at);
  const std::size_t exts_at = seq_at + seq.header;
  const Tlv first = read_tlv(cert, exts_at);
  Bytes exts(cert.begin() + static_cast<long>(exts_at), cert.begin() + static_cast<long>(exts_at + seq.length));
  exts.insert(exts.end(), cert.begin() + static_cast<long>(exts_at),
              cert.begin() + static_cast<long>(exts_at + first.header + first.length));
  Bytes tbs_content(cert.begin() + static_cast<long>(tbs_at + tbs.header), cert.begin() + static_cast<long>(last));
  const Bytes ext_field = tlv(0xa3, tlv(0x30, exts));
  tbs_content.insert(tbs_content.end(), ext_field.begin(), ext_field.end());
  Bytes content = tlv(0x30, tbs_content);
  content.insert(content.end(), cert.begin() + static_cast<long>(tbs_end), cert.end());
  return tlv(0x30, content);
}

}  // namespace

// Expected values: `openssl x509 -inform der -text` of each certificate.
TEST(Certificate, ReadsAFulcioLeaf) {
  const Certificate cert = leaf(kHappyPath);
  EXPECT_EQ(cert.not_before(), 1689177395);  // 2023-07-12T15:56:35Z
  EXPECT_EQ(cert.not_after(), 1689177995);   // 2023-07-12T16:06:35Z
  EXPECT_EQ(cert.subject_text(), "");
  // `openssl x509 -noout -issuer -nameopt RFC2253`
  EXPECT_EQ(cert.issuer_text(), "CN=sigstore-intermediate,O=sigstore.dev");
  EXPECT_EQ(cert.san_uris(), std::vector<std::string>{kBeacon});
  EXPECT_TRUE(cert.san_emails().empty());
  EXPECT_TRUE(cert.has_code_signing_eku());
  EXPECT_FALSE(cert.is_ca());  // basicConstraints absent
  EXPECT_EQ(cert.der(), test::bundle_leaf(kHappyPath));
  // `openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | sha256sum`
  EXPECT_EQ(hex_encode(sha256(cert.spki_der())), "016ce4c6150fe49709d4eee99b2d0c19603020bfaf04f0e136ae563c4625cebe");
  EXPECT_TRUE(cert.public_key().ok());
}

TEST(Certificate, ReadsAnEmailIdentity) {
  const Certificate cert = leaf("bundles/sigstore-python/bundle.txt.sigstore");
  EXPECT_EQ(cert.san_emails(), std::vector<std::string>{"a@tny.town"});
  EXPECT_TRUE(cert.san_uris().empty());
  EXPECT_EQ(cert.not_before(), 1682468468);  // 2023-04-26T00:21:08Z
  EXPECT_EQ(cert.not_after(), 1682469068);
}

TEST(Certificate, GivesExtensionContentsByOid) {
  const Certificate cert = leaf(kHappyPath);
  // The legacy issuer extension is the raw string, the V2 one a DER UTF8String.
  EXPECT_EQ(cert.extension("1.3.6.1.4.1.57264.1.1"), to_bytes("https://token.actions.githubusercontent.com"));
  Bytes v2{0x0c, 0x2b};
  const Bytes issuer = to_bytes("https://token.actions.githubusercontent.com");
  v2.insert(v2.end(), issuer.begin(), issuer.end());
  EXPECT_EQ(cert.extension("1.3.6.1.4.1.57264.1.8"), v2);
  // The SCT list: an OCTET STRING of the TLS list (0x04, length 0x7a, list length 0x0078).
  const auto scts = cert.extension(kSctListOid);
  ASSERT_TRUE(scts.has_value());
  EXPECT_EQ(hex_encode(ByteView(*scts).first(4)), "047a0078");
  EXPECT_FALSE(cert.extension("1.3.6.1.4.1.57264.1.99").has_value());
  EXPECT_FALSE(cert.extension("subjectAltName").has_value());  // names are not OIDs here
  EXPECT_FALSE(cert.extension("").has_value());
}

TEST(Certificate, RefusesWhatIsNotOneDerCertificate) {
  const Bytes der = test::bundle_leaf(kHappyPath);
  EXPECT_EQ(Certificate::parse_der({}).error().message, "empty certificate");
  EXPECT_EQ(Certificate::parse_der(Bytes(kMaxCertificate + 1, 0x30)).error().message, "certificate larger than 64 KiB");
  Bytes trailing = der;
  trailing.push_back(0);
  EXPECT_EQ(Certificate::parse_der(trailing).error().message, "trailing bytes after the certificate");
  EXPECT_EQ(Certificate::parse_der(ByteView(der).first(der.size() - 1)).error().message, "not a DER X.509 certificate");
  EXPECT_EQ(Certificate::parse_der(to_bytes("-----BEGIN CERTIFICATE-----")).error().message,
            "not a DER X.509 certificate");
}

TEST(Certificate, RefusesARepeatedExtension) {
  const Bytes twice = with_first_extension_twice(test::bundle_leaf(kHappyPath));
  EXPECT_EQ(Certificate::parse_der(twice).error().message, "the certificate repeats an extension");
}

TEST(Certificate, CopiesShareTheCertificate) {
  const Certificate cert = leaf(kHappyPath);
  const Certificate copy = cert;  // NOLINT(performance-unnecessary-copy-initialization): the copy is the test
  EXPECT_EQ(copy.get(), cert.get());
  EXPECT_EQ(copy.der(), cert.der());
}

TEST(Certificate, PrecertTbsIsTheTbsWithoutTheSctList) {
  const Certificate cert = leaf(kHappyPath);
  const auto tbs = cert.precert_tbs();
  ASSERT_TRUE(tbs.ok()) << tbs.error().message;
  // The SCT extension is gone, and nothing else (`openssl asn1parse`: the TBSCertificate is
  // 4 + 1951 bytes, the extension 3 + 138; the SCTs verify over it: tests/app, embedded SCTs).
  EXPECT_EQ(tbs->size(), (4u + 1951u) - (3u + 138u));
  EXPECT_EQ(hex_encode(*tbs).find("2b06010401d679020402"), std::string::npos);
  EXPECT_NE(hex_encode(cert.der()).find("2b06010401d679020402"), std::string::npos);
  // The CA certificates carry no SCTs.
  EXPECT_EQ(ca_chain(kProduction, 1).front().precert_tbs().error().message, "the certificate carries no embedded SCTs");
}

TEST(CertificateChain, AFulcioLeafChainsToItsRoot) {
  const Certificate cert = leaf(kHappyPath);
  const auto chain = ca_chain(kProduction, 1);
  const auto ok = verify_certificate_chain(cert, chain, cert.not_before() + 60, true);
  EXPECT_TRUE(ok.ok()) << ok.error().message;
  // Both ends of the leaf's validity are inside it (RFC 5280 4.1.2.5).
  EXPECT_TRUE(verify_certificate_chain(cert, chain, cert.not_before(), true).ok());
  EXPECT_TRUE(verify_certificate_chain(cert, chain, cert.not_after(), true).ok());
  EXPECT_EQ(find_issuer(cert, chain), &chain.front());
  // Both CA certificates say cA: TRUE (`openssl x509 -noout -ext basicConstraints`).
  EXPECT_TRUE(chain.at(0).is_ca());
  EXPECT_TRUE(chain.at(1).is_ca());
}

TEST(CertificateChain, OutsideTheLeafsValidityIsRefused) {
  const Certificate cert = leaf(kHappyPath);
  const auto chain = ca_chain(kProduction, 1);
  EXPECT_EQ(verify_certificate_chain(cert, chain, cert.not_after() + 1, true).error().message,
            "the signing certificate is not valid at 2023-07-12T16:06:36Z");
  EXPECT_EQ(verify_certificate_chain(cert, chain, cert.not_before() - 1, true).error().message,
            "the signing certificate is not valid at 2023-07-12T15:56:34Z");
  EXPECT_EQ(verify_certificate_chain(cert, chain, cert.not_after() + 1, true).error().kind, ErrorKind::kVerify);
}

TEST(CertificateChain, AnExpiredCaIsRefused) {
  // The custom root of this vector expired on 2024-01-01; the leaf is valid in 2030 only.
  const Certificate cert = leaf("bundles/sigstore-conformance/intoto-expired-certificate_fail/bundle.sigstore.json");
  const auto chain = ca_chain("roots/sigstore-conformance/intoto-expired-certificate_fail/trusted_root.json", 0);
  EXPECT_EQ(verify_certificate_chain(cert, chain, cert.not_before() + 60, true).error().message,
            "a certificate authority certificate is not valid at 2030-01-01T00:01:00Z");
}

TEST(CertificateChain, AOneCertificateRootChains) {
  const Certificate cert = leaf("bundles/sigstore-conformance/intoto-with-custom-trust-root/bundle.sigstore.json");
  const auto chain = ca_chain("roots/sigstore-conformance/intoto-with-custom-trust-root/trusted_root.json", 0);
  ASSERT_EQ(chain.size(), 1u);
  const auto ok = verify_certificate_chain(cert, chain, cert.not_before() + 60, true);
  EXPECT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(find_issuer(cert, chain), &chain.front());
}

TEST(CertificateChain, AnotherInstancesLeafDoesNotChain) {
  // A staging leaf: its issuer has the production intermediate's name, not its key.
  const Certificate cert = leaf("bundles/sigstore-conformance/bundle-from-wrong-instance_fail/bundle.sigstore.json");
  const auto production = ca_chain(kProduction, 1);
  EXPECT_EQ(verify_certificate_chain(cert, production, cert.not_before() + 60, true).error().message,
            "the signing certificate does not chain to the certificate authority");
  EXPECT_EQ(find_issuer(cert, production), nullptr);
  const auto staging = ca_chain(kStaging, 0);
  EXPECT_TRUE(verify_certificate_chain(cert, staging, cert.not_before() + 60, true).ok());
  // Production's older CA (2021-2022) did not issue it either.
  EXPECT_FALSE(verify_certificate_chain(leaf(kHappyPath), ca_chain(kProduction, 0), 1689177400, true).ok());
}

TEST(CertificateChain, TheRootAloneIsNoSigningCertificate) {
  const auto chain = ca_chain(kProduction, 1);
  EXPECT_EQ(verify_certificate_chain(chain.back(), chain, 1689177400, false).error().message,
            "the signing certificate does not chain to the certificate authority");
}

TEST(CertificateChain, TheLastCertificateGivenIsTheAnchor) {
  // The anchor is trusted as given, self-signed or not: the intermediate alone anchors the leaf.
  const auto chain = ca_chain(kProduction, 1);
  const Certificate cert = leaf(kHappyPath);
  EXPECT_TRUE(verify_certificate_chain(cert, {chain.front()}, 1689177400, true).ok());
  // The root alone, without the intermediate, is no path.
  EXPECT_EQ(verify_certificate_chain(cert, {chain.back()}, 1689177400, true).error().message,
            "the signing certificate does not chain to the certificate authority");
}

TEST(CertificateChain, CodeSigningIsRequiredWhenAsked) {
  // The production timestamp authority's certificate: it chains to its root, for timeStamping.
  const auto chains = test::root_tsa_chains(kProduction);
  std::vector<Certificate> tsa;
  for (const Bytes& der : chains.at(0)) tsa.push_back(parse(der));
  ASSERT_EQ(tsa.size(), 2u);
  const Certificate signer = tsa.front();
  const std::vector<Certificate> root{tsa.back()};
  constexpr std::int64_t k2026 = 1767225600;  // 2026-01-01T00:00:00Z
  EXPECT_FALSE(signer.has_code_signing_eku());
  EXPECT_TRUE(verify_certificate_chain(signer, root, k2026, false).ok());
  EXPECT_EQ(verify_certificate_chain(signer, root, k2026, true).error().message,
            "the signing certificate is not for code signing (no codeSigning extended key usage)");
  EXPECT_FALSE(root.front().has_code_signing_eku());  // no EKU extension at all
}

TEST(CertificateChain, AnEmptyCaIsAnInputError) {
  const auto status = verify_certificate_chain(leaf(kHappyPath), {}, 1689177400, true);
  EXPECT_EQ(status.error().message, "the certificate authority has no certificates");
  EXPECT_EQ(status.error().kind, ErrorKind::kInput);
}

// The chartprov binary starts OpenSSL without its digest-name table
// (init_openssl); certificate signatures must verify all the same. Run in a
// fresh process (a death test re-runs this binary for this test only), so the
// start-up is the binary's, not whatever other tests did first.
TEST(CertificateChainDeathTest, VerifiesAfterTheBinarysOpenSslStart) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        init_openssl();
        const Certificate cert = leaf(kHappyPath);
        const auto chain = ca_chain(kProduction, 1);
        const bool chained = verify_certificate_chain(cert, chain, 1689177400, true).ok();
        const bool issued = find_issuer(cert, chain) == &chain.front();
        std::exit(chained && issued ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}
