#include "envelope/sigstore/certificate_identity.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "envelope/sigstore/certificate_pem.hpp"
#include "envelope/sigstore/der_value.hpp"
#include "support/keyless_vectors.hpp"

using namespace chartprov;
using namespace chartprov::sigstore;

namespace {

using Claims = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kHappyPath = "bundles/sigstore-conformance/happy-path-v0.1/bundle.sigstore.json";
constexpr const char* kGitHubActions = "https://token.actions.githubusercontent.com";
constexpr const char* kBeacon =
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
    "extremely-dangerous-oidc-beacon.yml@refs/heads/main";

crypto::Certificate parse(const Bytes& der) { return crypto::Certificate::parse_der(der).value(); }

Result<CertificateIdentity> identity_of(const std::string& bundle) {
  return certificate_identity(parse(test::bundle_leaf(bundle)));
}

// The happy path's leaf with the first occurrence of `from` replaced by `to`
// (same length, so the DER stays well-formed; the signature no longer matches,
// which certificate_identity does not look at).
Bytes edited_leaf(const Bytes& from, const Bytes& to) {
  Bytes der = test::bundle_leaf(kHappyPath);
  const auto at = std::search(der.begin(), der.end(), from.begin(), from.end());
  EXPECT_NE(at, der.end());
  EXPECT_EQ(from.size(), to.size());
  if (at != der.end()) std::copy(to.begin(), to.end(), at);
  return der;
}

std::string refusal(const Bytes& der) {
  auto id = certificate_identity(parse(der));
  return id.ok() ? "accepted" : id.error().message;
}

Bytes utf8_string(const std::string& text) {
  Bytes out{kDerUtf8String, static_cast<std::uint8_t>(text.size())};
  out.insert(out.end(), text.begin(), text.end());
  return out;
}

}  // namespace

// Expected values: `openssl x509 -inform der -text` of each leaf.
TEST(CertificateIdentity, ReadsAGitHubActionsCertificate) {
  const auto id = identity_of(kHappyPath);
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(id->subject, kBeacon);
  EXPECT_EQ(id->issuer, kGitHubActions);
  const std::string sha = "af785b6d3b0fa0c0aa1305faee7ce6036e8d90c4";
  const std::string repo = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon";
  const Claims expected = {
      {"github-workflow-trigger", "workflow_dispatch"},
      {"github-workflow-sha", sha},
      {"github-workflow-name", "Extremely dangerous OIDC beacon"},
      {"github-workflow-repository", "sigstore-conformance/extremely-dangerous-public-oidc-beacon"},
      {"github-workflow-ref", "refs/heads/main"},
      {"build-signer-uri", kBeacon},
      {"build-signer-digest", sha},
      {"runner-environment", "github-hosted"},
      {"source-repository-uri", repo},
      {"source-repository-digest", sha},
      {"source-repository-ref", "refs/heads/main"},
      {"source-repository-identifier", "632596897"},
      {"source-repository-owner-uri", "https://github.com/sigstore-conformance"},
      {"source-repository-owner-identifier", "131804563"},
      {"build-config-uri", kBeacon},
      {"build-config-digest", sha},
      {"build-trigger", "workflow_dispatch"},
      {"run-invocation-uri", repo + "/actions/runs/5533741497/attempts/1"},
  };
  EXPECT_EQ(id->claims, expected);
}

TEST(CertificateIdentity, ReadsTheVisibilityClaim) {
  const auto id = identity_of("bundles/sigstore-python/bundle_v3_github.whl.sigstore");
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(id->subject, "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2");
  EXPECT_EQ(id->issuer, kGitHubActions);
  ASSERT_EQ(id->claims.size(), 19u);
  EXPECT_EQ(id->claims[7], (std::pair<std::string, std::string>{"runner-environment", "github-hosted"}));
  EXPECT_EQ(id->claims[10], (std::pair<std::string, std::string>{"source-repository-ref", "refs/tags/v0.1.2"}));
  EXPECT_EQ(id->claims.back(),
            (std::pair<std::string, std::string>{"source-repository-visibility-at-signing", "public"}));
}

TEST(CertificateIdentity, ReadsAnEmailIdentity) {
  const auto id = identity_of("bundles/sigstore-python/bundle.txt.sigstore");
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(id->subject, "a@tny.town");
  EXPECT_EQ(id->issuer, "https://github.com/login/oauth");
  EXPECT_TRUE(id->claims.empty());
}

TEST(CertificateIdentity, FallsBackToTheLegacyIssuer) {
  // Issued before Fulcio wrote 1.3.6.1.4.1.57264.1.8: only the raw .1.1.
  const auto id = identity_of("bundles/sigstore-python/bundle_no_log_entry.txt.sigstore");
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(id->subject, "alex.cameron@trailofbits.com");
  EXPECT_EQ(id->issuer, "https://accounts.google.com");
}

TEST(CertificateIdentity, EveryVectorLeafHasTheIdentityItsCaseNames) {
  int checked = 0;
  for (const auto& c : test::keyless_cases()) {
    const auto certs = test::bundle_certificates(c.bundle);
    if (certs.empty() || c.id.rfind("py/policy/", 0) == 0) continue;  // no leaf; policy rows expect a mismatch
    const auto id = certificate_identity(parse(certs.front()));
    ASSERT_TRUE(id.ok()) << c.id << ": " << id.error().message;
    if (c.id == "conf/bundle-with-root-cert_fail") continue;  // its SAN differs on purpose (cases.tsv note)
    EXPECT_EQ(id->subject, c.identity) << c.id;
    EXPECT_EQ(id->issuer, c.issuer) << c.id;
    ++checked;
  }
  EXPECT_GE(checked, 60);
}

TEST(CertificateIdentity, RefusesAFulcioCertificateWithoutIdentity) {
  // The happy path's SAN URI made an iPAddress (tag [7] instead of [6]): a Fulcio leaf with no URI or email.
  const std::string beacon = kBeacon;
  Bytes uri{0x86, 0x81, static_cast<std::uint8_t>(beacon.size())};
  uri.insert(uri.end(), beacon.begin(), beacon.begin() + 8);
  Bytes ip = uri;
  ip[0] = 0x87;
  EXPECT_EQ(refusal(edited_leaf(uri, ip)), "the certificate names no identity (no URI or email SAN)");
}

// A private CA's leaves (tests/data/private-ca, made with the openssl CLI; the
// names as `openssl x509 -noout -subject -issuer -nameopt RFC2253` prints them).
namespace {
crypto::Certificate private_ca(const std::string& name) {
  return read_pem_certificates(test::read_text(test::data("private-ca/" + name))).value().at(0);
}
}  // namespace

TEST(CertificateIdentity, APrivateCaLeafIsNamedByItsSanElseItsSubject) {
  const char* issuer = "CN=Example Signing CA,O=Example Corp";
  const auto uri_and_email = certificate_identity(private_ca("leaf.pem"));
  ASSERT_TRUE(uri_and_email.ok()) << uri_and_email.error().message;
  EXPECT_EQ(uri_and_email->subject, "https://ci.example.com/pipelines/charts");  // the URI before the email
  EXPECT_EQ(uri_and_email->issuer, issuer);
  EXPECT_TRUE(uri_and_email->claims.empty());
  const auto email = certificate_identity(private_ca("leaf-email.pem"));
  ASSERT_TRUE(email.ok()) << email.error().message;
  EXPECT_EQ(email->subject, "ci@example.com");
  EXPECT_EQ(email->issuer, issuer);
  const auto dn = certificate_identity(private_ca("leaf-dn.pem"));
  ASSERT_TRUE(dn.ok()) << dn.error().message;
  EXPECT_EQ(dn->subject, "CN=chart-signer,O=Example Corp");
  EXPECT_EQ(dn->issuer, issuer);
  const auto other = certificate_identity(private_ca("other-leaf.pem"));
  ASSERT_TRUE(other.ok()) << other.error().message;
  EXPECT_EQ(other->subject, "https://ci.example.com/pipelines/charts");  // the same SAN as leaf.pem
  EXPECT_EQ(other->issuer, "CN=Other Root CA,O=Example Corp");           // but another issuer
}

TEST(CertificateIdentity, ACertificateWithoutAnOidcIssuerIsNamedByItsDns) {
  // The production intermediate has no Fulcio extension: a certificate like any private CA's.
  const auto chains = test::root_ca_chains("roots/production/trusted_root.json");
  const auto id = certificate_identity(parse(chains.at(1).at(0)));
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(id->subject, "CN=sigstore-intermediate,O=sigstore.dev");
  EXPECT_EQ(id->issuer, "CN=sigstore,O=sigstore.dev");
}

TEST(CertificateIdentity, RefusesAPrivateCaLeafWithoutIdentity) {
  EXPECT_EQ(certificate_identity(private_ca("leaf-anonymous.pem")).error().message,
            "the certificate names no identity (no URI or email SAN, no subject)");
}

TEST(CertificateIdentity, RefusesIssuersThatDiffer) {
  // The legacy .1.1 value comes first in the certificate; the .1.8 one is left alone.
  const std::string issuer = kGitHubActions;
  std::string other = issuer;
  other.back() = 'n';
  EXPECT_EQ(refusal(edited_leaf(to_bytes(issuer), to_bytes(other))),
            "the certificate's two OIDC issuer extensions differ");
}

TEST(CertificateIdentity, RefusesMalformedExtensions) {
  Bytes printable = utf8_string(kGitHubActions);
  printable[0] = 0x13;  // PrintableString instead of UTF8String
  EXPECT_EQ(refusal(edited_leaf(utf8_string(kGitHubActions), printable)),
            "the certificate's extension 1.3.6.1.4.1.57264.1.8 (issuer): DER tag 0x13 where 0x0c was expected");
  Bytes bad = utf8_string("github-hosted");
  bad.back() = 0xff;
  EXPECT_EQ(refusal(edited_leaf(utf8_string("github-hosted"), bad)),
            "the certificate's extension 1.3.6.1.4.1.57264.1.11 (runner-environment): value is not UTF-8 text");
  Bytes long_length = utf8_string("github-hosted");
  long_length[1] += 1;  // one byte more than the extension holds
  EXPECT_EQ(refusal(edited_leaf(utf8_string("github-hosted"), long_length)),
            "the certificate's extension 1.3.6.1.4.1.57264.1.11 (runner-environment): truncated DER value");
  // A NUL in a legacy (raw) claim.
  EXPECT_EQ(refusal(edited_leaf(to_bytes("workflow_dispatch"), to_bytes(std::string("workflow\0dispatch", 17)))),
            "the certificate's extension 1.3.6.1.4.1.57264.1.2 (github-workflow-trigger): value is not UTF-8 text");
}

TEST(FulcioExtensionText, DecodesAndBoundsValues) {
  EXPECT_EQ(fulcio_extension_text(utf8_string("public"), true).value(), "public");
  EXPECT_EQ(fulcio_extension_text(to_bytes("refs/heads/main"), false).value(), "refs/heads/main");
  EXPECT_EQ(fulcio_extension_text(utf8_string(""), true).value(), "");  // Fulcio allows empty values
  EXPECT_EQ(fulcio_extension_text(to_bytes("public"), true).error().message, "DER tag 0x70 where 0x0c was expected");
  const std::string longest(kMaxIdentityValue, 'a');
  EXPECT_TRUE(fulcio_extension_text(to_bytes(longest), false).ok());
  EXPECT_EQ(fulcio_extension_text(to_bytes(longest + "a"), false).error().message, "value longer than 4096 bytes");
  EXPECT_EQ(fulcio_extension_text(to_bytes("\xc0\xaf"), false).error().message, "value is not UTF-8 text");
}

TEST(FulcioClaims, NamesFulciosOidsInOrder) {
  // sigstore/fulcio docs/oid-info.md: .2-.6 raw (deprecated GitHub claims), .9-.23 DER UTF8String.
  const auto& claims = fulcio_claims();
  ASSERT_EQ(claims.size(), 20u);
  EXPECT_EQ(claims.front().arc, 2);
  EXPECT_EQ(claims.back().arc, 23);
  EXPECT_EQ(claims.back().name, "deployment-environment");
  for (std::size_t i = 1; i < claims.size(); ++i) EXPECT_LT(claims[i - 1].arc, claims[i].arc);
  for (const auto& c : claims) EXPECT_EQ(c.der, c.arc >= 8) << c.name;
}
