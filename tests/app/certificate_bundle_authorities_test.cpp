// verify_certificate_bundle and the trusted root's certificate authorities:
// only a CA valid at a signing time is parsed and tried, so a CA whose
// validity ended before the signature cannot affect the verdict, and a CA in
// force whose certificates do not parse is refused by name. On the
// sigstore-conformance happy-path-v0.3 bundle (signed 2024-03-19) and the
// public-good root, whose first CA (https://fulcio.sigstore.dev, one
// certificate) was valid 2021-03-07 to 2022-12-31 and whose second is in force.
#include <gtest/gtest.h>

#include "app/verify/certificate_bundle.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "support/test_support.hpp"

using namespace chartprov;

namespace {

const std::string kBundle = "sigstore-keyless/bundles/sigstore-conformance/happy-path-v0.3/bundle.sigstore.json";

struct Inputs {
  std::string bundle = test::read_text(test::data(kBundle));
  std::string artifact = test::read_text(test::data("sigstore-keyless/artifacts/sigstore-conformance/a.txt"));
  sigstore::TrustedRoot root =
      sigstore::parse_trusted_root(test::read_text(test::data("sigstore-keyless/roots/production/trusted_root.json")))
          .value();
};

app::BundleCheck verify(const Inputs& in) {
  return app::verify_certificate_bundle(as_bytes(in.artifact), std::nullopt, in.bundle, in.root, 0);
}

// The CA whose validity has an end (the retired one) or the one without (in force).
sigstore::CertificateAuthority& authority(sigstore::TrustedRoot& root, bool retired) {
  for (auto& ca : root.certificate_authorities) {
    if (ca.valid.end.has_value() == retired) return ca;
  }
  ADD_FAILURE() << "the production root changed";
  return root.certificate_authorities.front();
}

TEST(CertificateBundleAuthorities, TheProductionRootVerifiesTheBundle) {
  const Inputs in;
  const auto c = verify(in);
  EXPECT_TRUE(c.verified) << c.reason;
  EXPECT_EQ(c.certificate_authority, "https://fulcio.sigstore.dev");
}

TEST(CertificateBundleAuthorities, ARetiredAuthorityIsNeverParsed) {
  Inputs in;
  authority(in.root, true).chain.front() = Bytes{0x30, 0x03, 0x02, 0x01, 0x00};  // not a certificate
  const auto c = verify(in);
  EXPECT_TRUE(c.verified) << c.reason;
}

TEST(CertificateBundleAuthorities, AnAuthorityInForceThatDoesNotParseIsNamed) {
  Inputs in;
  authority(in.root, false).chain.front() = Bytes{0x30, 0x03, 0x02, 0x01, 0x00};
  const auto c = verify(in);
  EXPECT_FALSE(c.verified);
  EXPECT_EQ(c.reason,
            "a certificate of the trusted root's certificate authority https://fulcio.sigstore.dev does not parse");
}

TEST(CertificateBundleAuthorities, NoAuthorityAtAllIsSaidSo) {
  Inputs in;
  in.root.certificate_authorities.clear();
  const auto c = verify(in);
  EXPECT_FALSE(c.verified);
  EXPECT_EQ(c.reason, "the trusted root lists no certificate authority");
}

}  // namespace
