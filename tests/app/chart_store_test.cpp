// The admission webhook's chart store from a directory source: the charts of
// tests/data/helm-release (the ones the real release records were made from),
// signed here with a cosign key, decided under the environment's policy, and
// the records of expected.tsv judged against what the store admitted.
#include "app/admission/chart_store.hpp"

#include <gtest/gtest.h>

#include <ctime>

#include "app/sign/blob_signer.hpp"
#include "envelope/cosign/blob_signature.hpp"
#include "infra/openssl/pkey.hpp"
#include "infra/openssl/spki.hpp"
#include "release/admission_review.hpp"
#include "release/record_judgement.hpp"
#include "support/test_support.hpp"

namespace chartprov::app {
namespace {

namespace fs = std::filesystem;

const std::int64_t kNow = static_cast<std::int64_t>(std::time(nullptr));

fs::path release_data(const std::string& relative) { return test::data("helm-release/" + relative); }

class ChartStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = crypto::generate_key("ecdsa-p256").value();
    test::write_text(dir_ / "cosign.pub", crypto::public_key_pem(key_).value());
    TrustSource source;
    source.key = dir_ / "cosign.pub";
    material_ = load_trust_material(source, kNow).value();
    fs::create_directories(source_dir());
  }
  fs::path source_dir() const { return dir_ / "source"; }

  // The chart copied into the source as FILE, with a .sig by `key` unless unsigned.
  void add(const fs::path& chart, const std::string& file, const crypto::PKey* key) {
    fs::copy_file(chart, source_dir() / file);
    if (key == nullptr) return;
    const std::string bytes = test::read_text(chart);
    const Bytes sig = sign_blob(*key, as_bytes(bytes)).value();
    test::write_text(source_dir() / (file + ".sig"), cosign::encode_signature_file(sig));
  }

  static policy::Policy policy() {
    return policy::parse_policy(
               "version: 1\nenvironments:\n"
               "  production:\n    mode: enforce\n    rules:\n      - charts: [\"*\"]\n        signers: [\"*\"]\n"
               "  staging:\n    mode: warn\n    rules:\n      - charts: [\"*\"]\n        signers: [\"*\"]\n"
               "  sandbox:\n    mode: off\n",
               "policy.yaml")
        .value();
  }

  test::TempDir dir_;
  crypto::PKey key_;
  TrustMaterial material_;
};

std::string refused_reason(const ChartStore& s, const std::string& file) {
  for (const auto& r : s.refused) {
    if (r.file == file) return r.reason;
  }
  return "(not refused)";
}

TEST_F(ChartStoreTest, AdmitsTheSignedChartsAndJudgesTheRealRecordsAgainstThem) {
  for (const char* name : {"plain-0.1.0.tgz", "parent-0.1.0.tgz", "withschema-0.1.0.tgz"}) {
    add(release_data(std::string("charts/") + name), name, &key_);
  }
  add(release_data("charts/sub-0.1.0.tgz"), "sub-0.1.0.tgz", nullptr);  // unsigned
  const auto store = load_chart_store(source_dir(), policy(), "production", material_, kNow);
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_EQ(store->charts.size(), 3u);
  ASSERT_EQ(store->facts.size(), 3u);
  EXPECT_EQ(store->facts[0].file, "parent-0.1.0.tgz");  // name order
  EXPECT_EQ(store->facts[0].digest.rfind("sha256:", 0), 0u);
  EXPECT_FALSE(store->facts[0].signers.empty());
  ASSERT_EQ(store->refused.size(), 1u);
  EXPECT_NE(refused_reason(*store, "sub-0.1.0.tgz").find("not signed"), std::string::npos)
      << refused_reason(*store, "sub-0.1.0.tgz");

  const auto judge = [&](const std::string& review) {
    const std::string body = test::read_text(release_data("reviews/" + review));
    const auto request = release::parse_admission_review(as_bytes(body));
    EXPECT_TRUE(request.ok()) << review;
    return release::judge_record_request(*request, store->charts).verdict;
  };
  EXPECT_EQ(judge("01-create-install-plain-helm4.json"), release::RecordVerdict::kChartMatches);
  EXPECT_EQ(judge("05-create-install-withschema-helm4.json"), release::RecordVerdict::kChartMatches);
  EXPECT_EQ(judge("04-create-install-parent-vendored-subchart-helm4.json"),
            release::RecordVerdict::kChartMatchesSubchartsUnseen);
  EXPECT_EQ(judge("10-create-install-tampered-template-helm4.json"), release::RecordVerdict::kChartDiffers);
  EXPECT_EQ(judge("12-create-install-values-defaults-differ-helm4.json"), release::RecordVerdict::kChartDiffers);
}

TEST_F(ChartStoreTest, ASignatureByAnotherKeyOrATamperedChartIsRefused) {
  const crypto::PKey other = crypto::generate_key("ecdsa-p256").value();
  add(release_data("charts/plain-0.1.0.tgz"), "plain-0.1.0.tgz", &other);
  add(release_data("charts/withschema-0.1.0.tgz"), "withschema-0.1.0.tgz", &key_);
  // Signed, then the chart swapped for the tampered variant: the .sig no longer matches.
  fs::remove(source_dir() / "withschema-0.1.0.tgz");
  fs::copy_file(release_data("charts/variants/tampered/plain-0.1.0.tgz"), source_dir() / "withschema-0.1.0.tgz");
  const auto store = load_chart_store(source_dir(), policy(), "production", material_, kNow);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_TRUE(store->charts.empty());
  EXPECT_EQ(store->refused.size(), 2u);
  EXPECT_NE(refused_reason(*store, "plain-0.1.0.tgz"), "(not refused)");
  EXPECT_NE(refused_reason(*store, "withschema-0.1.0.tgz"), "(not refused)");
}

TEST_F(ChartStoreTest, TwoChartsWithOneNameAndVersionKeepOnlyTheFirst) {
  add(release_data("charts/plain-0.1.0.tgz"), "a-plain-0.1.0.tgz", &key_);
  add(release_data("charts/variants/tampered/plain-0.1.0.tgz"), "b-plain-0.1.0.tgz", &key_);
  const auto store = load_chart_store(source_dir(), policy(), "production", material_, kNow);
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_EQ(store->charts.size(), 1u);
  EXPECT_EQ(store->facts[0].file, "a-plain-0.1.0.tgz");
  EXPECT_NE(refused_reason(*store, "b-plain-0.1.0.tgz").find("another chart of the source, a-plain-0.1.0.tgz"),
            std::string::npos)
      << refused_reason(*store, "b-plain-0.1.0.tgz");
}

TEST_F(ChartStoreTest, AWarnEnvironmentStoresOnlyWhatVerified) {
  add(release_data("charts/plain-0.1.0.tgz"), "plain-0.1.0.tgz", &key_);
  add(release_data("charts/sub-0.1.0.tgz"), "sub-0.1.0.tgz", nullptr);
  const auto store = load_chart_store(source_dir(), policy(), "staging", material_, kNow);
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_EQ(store->charts.size(), 1u);
  EXPECT_EQ(store->charts[0].metadata.name, "plain");
  EXPECT_EQ(store->refused.size(), 1u);
}

TEST_F(ChartStoreTest, RefusesWhatCannotMakeAStore) {
  EXPECT_FALSE(load_chart_store(dir_ / "missing", policy(), "production", material_, kNow).ok());
  EXPECT_FALSE(load_chart_store(source_dir(), policy(), "Production", material_, kNow).ok());  // case twin
  const auto off = load_chart_store(source_dir(), policy(), "sandbox", material_, kNow);
  ASSERT_FALSE(off.ok());
  EXPECT_NE(off.error().message.find("mode off"), std::string::npos) << off.error().message;
  const auto empty = load_chart_store(source_dir(), policy(), "production", material_, kNow);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->charts.empty());
  EXPECT_TRUE(empty->refused.empty());
}

}  // namespace
}  // namespace chartprov::app
