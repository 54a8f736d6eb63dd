// Every oci- row of tests/data/cosign/cases.tsv: the artifact is the chart's
// manifest (its digest is what cosign signs), the signature a legacy .sig
// manifest or an OCI 1.1 referrer; blobs come from the OCI layout.
#include <gtest/gtest.h>

#include "app/sign/blob_signer.hpp"
#include "app/verify/oci_signatures.hpp"
#include "infra/openssl/digest.hpp"
#include "oci/cosign_signature.hpp"
#include "oci/manifest.hpp"
#include "support/case_table.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov {
namespace {

oci::BlobSource layout_blobs() {
  return [](const oci::Descriptor& d) -> Result<Bytes> {
    TRY(Bytes bytes, read_file(test::data("cosign/generated/oci/layout/blobs/sha256/" + d.digest.substr(7)), 1u << 20));
    TRY_STATUS(oci::check_blob(d, bytes));
    return bytes;
  };
}

std::pair<bool, std::string> run_oci_case(const test::CosignCase& c) {
  auto key = app::load_public_key(c.path(c.key));
  if (!key) return {false, key.error().message};
  auto subject = read_file(c.path(c.artifact), 1u << 20);
  auto sig_text = read_text_file(c.path(c.signature), 1u << 20);
  if (!subject || !sig_text) return {false, "unreadable"};
  const std::string digest = "sha256:" + hex_encode(crypto::sha256(*subject));
  auto manifest = oci::parse_manifest(*sig_text);
  if (!manifest) return {false, manifest.error().message};
  const bool referrer = manifest->artifact_type == oci::kBundleV03 || manifest->config.media_type == oci::kOciEmpty;
  const auto v = referrer ? app::verify_referrer_manifest(*manifest, digest, *key, layout_blobs(), nullptr)
                          : oci::verify_signature_manifest(*manifest, digest, *key, layout_blobs());
  return {v.verified, v.reason};
}

TEST(OciCases, EveryOciRowGivesItsExpectedResult) {
  int ran = 0;
  for (const auto& c : test::cosign_cases()) {
    if (c.name.rfind("oci-", 0) != 0) continue;
    ++ran;
    const auto got = run_oci_case(c);
    EXPECT_EQ(got.first, c.expected == "ok") << c.name << ": " << got.second;
  }
  EXPECT_EQ(ran, 8);
}

TEST(OciCases, OurPayloadIsCosignsByteForByte) {
  auto stored = read_text_file(test::data("cosign/generated/oci/simplesigning-payload.json"), 4096);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(oci::simple_signing_payload("localhost:5000/charts/test",
                                        "sha256:1f88fac01b1d88eacb956cdddf144ca2d05bd1727922bab855d1448b5f03d613"),
            *stored);
}

TEST(OciCases, TheReferrersFallbackIndexListsTheReferrer) {
  auto text = read_text_file(test::data("cosign/generated/oci/referrers-fallback-index.json"), 4096);
  ASSERT_TRUE(text.ok());
  auto idx = oci::parse_index(*text);
  ASSERT_TRUE(idx.ok()) << idx.error().message;
  ASSERT_EQ(idx->manifests.size(), 1u);
  EXPECT_EQ(idx->manifests[0].artifact_type, oci::kBundleV03);
}

}  // namespace
}  // namespace chartprov
