// Reading what a registry lists as the referrers of a manifest: its
// referrers API and the referrers tag, as chartprov-oci hands back their
// answers (status, body, transport error). The bodies are the vectors of
// tests/data/cosign/generated/oci.
#include "app/helpers/oci_referrers.hpp"

#include <gtest/gtest.h>

#include "app/verify/oci_signatures.hpp"
#include "oci/referrers.hpp"
#include "support/test_support.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

const std::string kDigest = "sha256:1f88fac01b1d88eacb956cdddf144ca2d05bd1727922bab855d1448b5f03d613";
const std::string kTag = "sha256-1f88fac01b1d88eacb956cdddf144ca2d05bd1727922bab855d1448b5f03d613";

OciResult answer(long status, const std::string& vector = {}) {
  OciResult r;
  r.status = status;
  if (!vector.empty()) {
    auto b = read_file(test::data("cosign/generated/oci/" + vector), 1u << 20);
    EXPECT_TRUE(b.ok()) << vector;
    if (b.ok()) r.body = *b;
  }
  return r;
}

OciResult text_answer(long status, const std::string& text) {
  OciResult r;
  r.status = status;
  r.body.assign(text.begin(), text.end());
  return r;
}

TEST(OciReferrers, ARegistryWithoutTheApiFallsBackToTheTag) {
  for (const long absent : {404L, 400L}) {
    auto got = read_referrer_listings(answer(absent), answer(200, "referrers-fallback-index.json"), kTag);
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_FALSE(got->api);
    ASSERT_EQ(got->indexes.size(), 1u);
    auto bundles = bundle_referrers_listed(answer(absent), answer(200, "referrers-fallback-index.json"), kDigest);
    ASSERT_TRUE(bundles.ok());
    ASSERT_EQ(bundles->size(), 1u);
    EXPECT_EQ((*bundles)[0].digest, "sha256:c680abf39f7380f5ffd44979a49c39d4d5d9b34be743ba23108df097049b3f90");
  }
  auto none = read_referrer_listings(answer(404), answer(404), kTag);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->indexes.empty());
}

TEST(OciReferrers, BothListingsAreReadEachReferrerOnce) {
  auto got = read_referrer_listings(answer(200, "referrers-fallback-index.json"),
                                    answer(200, "referrers-fallback-index.json"), kTag);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->api);
  EXPECT_EQ(got->indexes.size(), 2u);
  auto bundles = bundle_referrers_listed(answer(200, "referrers-fallback-index.json"),
                                         answer(200, "referrers-fallback-index.json"), kDigest);
  ASSERT_TRUE(bundles.ok());
  EXPECT_EQ(bundles->size(), 1u);
}

TEST(OciReferrers, AnUnreadableListingIsAnErrorNeverAnEmptyList) {
  struct Case {
    OciResult api, tag;
    std::string message;
  };
  OciResult too_large;
  too_large.error = "http://127.0.0.1:5000/v2/charts/demo/referrers/x: the response is larger than 4194304 bytes";
  const std::vector<Case> cases = {
      {answer(200, "chart-manifest.json"), answer(404),
       "the referrers API is not an image index: index without manifests"},
      {answer(404), answer(200, "sig-manifest.json"),
       "the referrers tag " + kTag +
           " is not an image index: not an image index (application/vnd.oci.image.manifest.v1+json)"},
      {text_answer(200, "{\"schemaVersion\":2,\"manifests\":"), answer(404), "the referrers API is not an image index"},
      {answer(500), answer(404), "the referrers API answered 500"},
      {answer(404), answer(401), "the referrers tag " + kTag + " answered 401"},
      {too_large, answer(404), "the referrers API: http://127.0.0.1:5000/v2/charts/demo/referrers/x: the response"},
  };
  for (const auto& c : cases) {
    auto got = read_referrer_listings(c.api, c.tag, kTag);
    ASSERT_FALSE(got.ok()) << c.message;
    EXPECT_EQ(got.error().message.rfind(c.message, 0), 0u) << got.error().message;
    EXPECT_FALSE(bundle_referrers_listed(c.api, c.tag, kDigest).ok());
  }
}

TEST(OciReferrers, TheTagsTextForAReadModifyWrite) {
  auto absent = referrers_tag_text(answer(404), kTag);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
  auto there = referrers_tag_text(answer(200, "referrers-fallback-index.json"), kTag);
  ASSERT_TRUE(there.ok() && there->has_value());
  EXPECT_NE((*there)->find("c680abf3"), std::string::npos);
  EXPECT_FALSE(referrers_tag_text(answer(503), kTag).ok());
}

TEST(OciReferrers, AListedReferrerIsReadByItsDigest) {
  oci::Descriptor listed;
  listed.digest = "sha256:c680abf39f7380f5ffd44979a49c39d4d5d9b34be743ba23108df097049b3f90";
  listed.size = 877;
  auto m = referrer_manifest(answer(200, "referrer-manifest.json"), listed);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->artifact_type, oci::kBundleV03);
  auto other = referrer_manifest(answer(200, "sig-manifest.json"), listed);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().message, "referrer " + listed.digest + " does not match its digest");
  auto missing = referrer_manifest(answer(404), listed);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "referrer " + listed.digest + ": the registry answered 404");
}

}  // namespace
}  // namespace chartprov::app
