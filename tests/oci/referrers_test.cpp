// The referrers index (distribution-spec 1.1 referrers tag schema) and
// cosign v3's bundle referrer, against the vectors of
// tests/data/cosign/generated/oci (FORMAT.md C2): the referrer manifest
// cosign pushes, its bundle, and the fallback index listing it.
#include "oci/referrers.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/sign/blob_signer.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "infra/openssl/digest.hpp"
#include "oci/bundle_referrer.hpp"
#include "oci/manifest.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::oci {
namespace {

using nlohmann::json;

std::string vector_text(const std::string& name) {
  auto t = read_text_file(test::data("cosign/generated/oci/" + name), 1u << 20);
  EXPECT_TRUE(t.ok()) << name;
  return t.ok() ? *t : std::string();
}

Descriptor bundle_descriptor(char fill) {
  Descriptor d;
  d.media_type = std::string(kOciManifest);
  d.digest = "sha256:" + std::string(64, fill);
  d.size = 100;
  d.artifact_type = std::string(kBundleV03);
  return d;
}

TEST(Referrers, TheDescriptorOfCosignsReferrerIsTheOneItsFallbackIndexLists) {
  const std::string text = vector_text("referrer-manifest.json");
  auto m = parse_manifest(text);
  ASSERT_TRUE(m.ok()) << m.error().message;
  const Descriptor d = referrer_descriptor(*m, crypto::sha256_digest(as_bytes(text)), std::ssize(text));
  auto index = parse_index(vector_text("referrers-fallback-index.json"));
  ASSERT_TRUE(index.ok());
  ASSERT_EQ(index->manifests.size(), 1u);
  const Descriptor& listed = index->manifests[0];
  EXPECT_EQ(d.media_type, listed.media_type);
  EXPECT_EQ(d.digest, listed.digest);
  EXPECT_EQ(d.size, listed.size);
  EXPECT_EQ(d.artifact_type, listed.artifact_type);
  // The spec copies the manifest's annotations to the descriptor.
  EXPECT_EQ(d.annotations.at("dev.sigstore.bundle.content"), "dsse-envelope");
  EXPECT_EQ(d.annotations.size(), 3u);
  // No artifactType: the config's media type stands for it.
  m->artifact_type.clear();
  EXPECT_EQ(referrer_descriptor(*m, d.digest, d.size).artifact_type, kOciEmpty);
}

TEST(Referrers, ANewIndexListsTheReferrer) {
  auto text = add_to_referrers_index(std::nullopt, bundle_descriptor('a'));
  ASSERT_TRUE(text.ok() && text->has_value());
  auto index = parse_index(**text);
  ASSERT_TRUE(index.ok()) << index.error().message;
  ASSERT_EQ(index->manifests.size(), 1u);
  EXPECT_EQ(index->manifests[0].digest, bundle_descriptor('a').digest);
  EXPECT_EQ(index->manifests[0].artifact_type, kBundleV03);
  EXPECT_EQ(json::parse(**text)["mediaType"], kOciIndex);
}

TEST(Referrers, AddingKeepsEveryEntryAndFieldAndNeverListsTwice) {
  // cosign's index, plus another tool's entry and fields chartprov does not read.
  json doc = json::parse(vector_text("referrers-fallback-index.json"));
  doc["annotations"] = {{"com.example.owner", "sbom-tool"}};
  doc["manifests"].push_back({{"mediaType", kOciManifest},
                              {"digest", "sha256:" + std::string(64, 'e')},
                              {"size", 321},
                              {"artifactType", "application/spdx+json"},
                              {"platform", {{"os", "linux"}, {"architecture", "amd64"}}},
                              {"annotations", {{"org.opencontainers.image.created", "2026-01-01T00:00:00Z"}}}});
  const std::string before = doc.dump();
  auto text = add_to_referrers_index(before, bundle_descriptor('b'));
  ASSERT_TRUE(text.ok()) << text.error().message;
  ASSERT_TRUE(text->has_value());
  const json after = json::parse(**text);
  ASSERT_EQ(after["manifests"].size(), 3u);
  EXPECT_EQ(after["manifests"][0], doc["manifests"][0]);
  EXPECT_EQ(after["manifests"][1], doc["manifests"][1]);  // unknown fields included
  EXPECT_EQ(after["manifests"][2]["digest"], bundle_descriptor('b').digest);
  EXPECT_EQ(after["annotations"], doc["annotations"]);
  EXPECT_EQ(after["schemaVersion"], 2);

  // Listed already (ours, or cosign's referrer again): nothing to push.
  auto again = add_to_referrers_index(**text, bundle_descriptor('b'));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
  Descriptor cosigns = bundle_descriptor('c');
  cosigns.digest = doc["manifests"][0]["digest"];
  auto listed = add_to_referrers_index(before, cosigns);
  ASSERT_TRUE(listed.ok());
  EXPECT_FALSE(listed->has_value());
}

TEST(Referrers, ATagThatHoldsNoIndexIsNeverOverwritten) {
  for (const std::string& current :
       {vector_text("chart-manifest.json"), vector_text("referrer-manifest.json"), std::string("not json"),
        std::string(R"({"schemaVersion":2,"manifests":[{"digest":"sha512:00","size":1}]})"), std::string("[]")}) {
    auto r = add_to_referrers_index(current, bundle_descriptor('a'));
    ASSERT_FALSE(r.ok()) << current;
    EXPECT_NE(r.error().message.find("the referrers tag holds no image index"), std::string::npos) << r.error().message;
  }
}

TEST(Referrers, AFullIndexIsRefused) {
  json doc = {{"schemaVersion", 2}, {"mediaType", kOciIndex}, {"manifests", json::array()}};
  for (std::size_t i = 0; i < kMaxLayers; ++i) {
    char hex[65];
    std::snprintf(hex, sizeof hex, "%064zx", i);
    doc["manifests"].push_back({{"mediaType", kOciManifest}, {"digest", std::string("sha256:") + hex}, {"size", 1}});
  }
  auto r = add_to_referrers_index(doc.dump(), bundle_descriptor('f'));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "the referrers index is full (1000 manifests)");
}

TEST(Referrers, BundleReferrersAreFilteredDeduplicatedAndBounded) {
  Index api;
  Index tag;
  api.manifests = {bundle_descriptor('1'), bundle_descriptor('2')};
  Descriptor sbom = bundle_descriptor('3');
  sbom.artifact_type = "application/spdx+json";
  tag.manifests = {bundle_descriptor('2'), sbom, bundle_descriptor('4')};
  auto got = bundle_referrers({api, tag});
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0].digest, bundle_descriptor('1').digest);
  EXPECT_EQ((*got)[1].digest, bundle_descriptor('2').digest);
  EXPECT_EQ((*got)[2].digest, bundle_descriptor('4').digest);

  Index many;
  for (std::size_t i = 0; i < kMaxBundleReferrers; ++i) {
    Descriptor d = bundle_descriptor('0');
    d.digest = "sha256:" + std::string(62, '0') + hex_encode(Bytes{static_cast<std::uint8_t>(i)});
    many.manifests.push_back(d);
  }
  EXPECT_TRUE(bundle_referrers({many}).ok());
  many.manifests.push_back(bundle_descriptor('9'));
  auto over = bundle_referrers({many});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().message, "more than 64 Sigstore bundle referrers");
}

TEST(BundleReferrer, OurStatementIsCosignsByteForByte) {
  auto bundle = sigstore::parse_bundle(vector_text("referrer-bundle.sigstore.json"));
  ASSERT_TRUE(bundle.ok() && bundle->dsse);
  EXPECT_EQ(cosign_sign_statement(vector_text("chart-manifest.digest").substr(0, 71)),
            std::string(as_chars(bundle->dsse->payload)));
}

TEST(BundleReferrer, OurReferrerManifestHasCosignsShape) {
  auto cosigns = parse_manifest(vector_text("referrer-manifest.json"));
  ASSERT_TRUE(cosigns.ok());
  const std::string bundle = vector_text("referrer-bundle.sigstore.json");
  auto ours = parse_manifest(bundle_referrer_manifest(*cosigns->subject, bundle, "2026-01-01T00:00:00Z"));
  ASSERT_TRUE(ours.ok()) << ours.error().message;
  EXPECT_EQ(ours->media_type, cosigns->media_type);
  EXPECT_EQ(ours->artifact_type, cosigns->artifact_type);
  EXPECT_EQ(ours->config.media_type, cosigns->config.media_type);
  EXPECT_EQ(ours->config.digest, cosigns->config.digest);  // the empty descriptor's blob, {}
  EXPECT_EQ(ours->config.size, cosigns->config.size);
  EXPECT_EQ(ours->config.artifact_type, cosigns->config.artifact_type);
  ASSERT_EQ(ours->layers.size(), 1u);
  EXPECT_EQ(ours->layers[0].media_type, cosigns->layers[0].media_type);
  EXPECT_EQ(ours->layers[0].digest, cosigns->layers[0].digest);  // the same bundle bytes
  EXPECT_EQ(ours->layers[0].size, cosigns->layers[0].size);
  EXPECT_EQ(ours->layers[0].annotations.at("org.opencontainers.image.title"),
            "sha256-" + cosigns->layers[0].digest.substr(7) + ".sigstore.json");
  ASSERT_TRUE(ours->subject.has_value());
  EXPECT_EQ(ours->subject->digest, cosigns->subject->digest);
  EXPECT_EQ(ours->subject->size, cosigns->subject->size);
  EXPECT_EQ(ours->subject->media_type, cosigns->subject->media_type);
  EXPECT_EQ(ours->annotations, cosigns->annotations);
}

TEST(BundleReferrer, FindsTheKeysSignatureOfTheStatementOnly) {
  const std::string bundle = vector_text("referrer-bundle.sigstore.json");
  auto key = app::load_public_key(test::data("cosign/generated/keys/chartprov-p256.pub"));
  auto other = app::load_public_key(test::data("cosign/generated/keys/other-p256.pub"));
  ASSERT_TRUE(key.ok() && other.ok());
  const std::string statement = cosign_sign_statement(vector_text("chart-manifest.digest").substr(0, 71));
  EXPECT_TRUE(is_dsse_signature_of(bundle, statement, *key));
  EXPECT_FALSE(is_dsse_signature_of(bundle, statement, *other));
  EXPECT_FALSE(is_dsse_signature_of(bundle, cosign_sign_statement("sha256:" + std::string(64, '0')), *key));
  EXPECT_FALSE(is_dsse_signature_of("{}", statement, *key));
  EXPECT_FALSE(is_dsse_signature_of(vector_text("sig-manifest.json"), statement, *key));
}

}  // namespace
}  // namespace chartprov::oci
