// The admission webhook's use case: the chart store from a directory source
// (the charts of tests/data/helm-release, which the real release records were
// made from, signed here with a cosign key, decided under the environment's
// policy), and every AdmissionReview of expected.tsv answered by admit()
// against what the store admitted, with the manifest check (the real helm).
#include "app/admission/admit.hpp"
#include "app/admission/chart_store.hpp"
#include "app/admission/store_set.hpp"
#include "app/admission_fixture.hpp"
#include "release/admission_review.hpp"
#include "release/record_judgement.hpp"

namespace chartprov::app {
namespace {

using admission_test::ChartStoreTest;
using admission_test::kNow;
using test::release_data;

namespace fs = std::filesystem;

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
  for (const auto& facts : store->facts) {  // the verified bytes, kept for the manifest check
    EXPECT_TRUE(fs::is_regular_file(facts.copy)) << facts.copy;
    ASSERT_EQ(store->copies.size(), 1u);
    EXPECT_EQ(facts.copy.string().rfind(store->copies[0]->path().string(), 0), 0u) << facts.copy;
    EXPECT_TRUE(facts.scan.findings.empty()) << facts.file;
  }
  EXPECT_EQ(store->facts_of(&store->charts[1]), &store->facts[1]);
  EXPECT_EQ(store->facts_of(nullptr), nullptr);
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

TEST_F(ChartStoreTest, AStoreOfSeveralSourcesKeepsEveryVerifiedCopy) {
  add(release_data("charts/plain-0.1.0.tgz"), "plain-0.1.0.tgz", &key_);
  const fs::path second = dir_ / "second";
  fs::create_directories(second);
  fs::copy_file(release_data("charts/parent-0.1.0.tgz"), second / "parent-0.1.0.tgz");
  const std::string bytes = test::read_text(second / "parent-0.1.0.tgz");
  test::write_text(second / "parent-0.1.0.tgz.sig",
                   cosign::encode_signature_file(sign_blob(key_, as_bytes(bytes)).value()));
  const auto set = load_store_set({source_dir(), second}, policy(), material_, kNow);
  ASSERT_TRUE(set.ok()) << set.error().message;
  const ChartStore& merged = set->stores.at("production");
  ASSERT_EQ(merged.facts.size(), 2u);
  EXPECT_EQ(merged.copies.size(), 2u);
  for (const auto& facts : merged.facts) EXPECT_TRUE(fs::is_regular_file(facts.copy)) << facts.file;
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

class AdmitTest : public ChartStoreTest {
 protected:
  void SetUp() override {
    ChartStoreTest::SetUp();
    for (const char* name : {"plain-0.1.0.tgz", "parent-0.1.0.tgz", "withschema-0.1.0.tgz"}) {
      add(release_data(std::string("charts/") + name), name, &key_);
    }
    policy_ = policy();
    production_ = load_chart_store(source_dir(), policy_, "production", material_, kNow).value();
    staging_ = load_chart_store(source_dir(), policy_, "staging", material_, kNow).value();
    config_.policy = &policy_;
    config_.stores = {{"production", &production_}, {"staging", &staging_}};
    config_.renderer = &admission_test::helm_renderer();
  }
  AdmissionOutcome answer(const std::string& body) {
    auto out = admit(as_bytes(body), config_);
    EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message);
    return out.ok() ? std::move(*out) : AdmissionOutcome{};
  }

  policy::Policy policy_;
  ChartStore production_, staging_;
  AdmissionConfig config_;
};

// Every row of expected.tsv, in namespace demo (bound to production, enforce, where the
// manifest check is required by default): rows 04 and 08 (a verified chart with a vendored
// subchart) are admitted because their manifests are that chart rendered again, and row 13
// (the same chart object, a tampered subchart) is denied by its manifest.
TEST_F(AdmitTest, EveryReviewOfExpectedTsvGetsItsVerdict) {
  const auto expected = test::expected_verdicts();
  ASSERT_EQ(expected.size(), 29u);
  for (const auto& [file, allowed] : expected) {
    const std::string body = test::read_text(release_data("reviews/" + file));
    const AdmissionOutcome out = answer(body);
    const auto uid = nlohmann::json::parse(body)["request"]["uid"].get<std::string>();
    EXPECT_EQ(out.response.uid, uid) << file;
    EXPECT_EQ(out.response.allowed, allowed) << file << ": " << out.response.message;
    EXPECT_TRUE(out.response.warnings.empty()) << file << ": " << out.response.warnings[0];
    if (out.judgement.chart != nullptr && out.judgement.verdict != release::RecordVerdict::kChartDiffers) {
      ASSERT_TRUE(out.manifest) << file;  // every record whose chart object matched had its manifest checked
      EXPECT_EQ(out.manifest->verdict == ManifestVerdict::kMatches, allowed) << file;
    }
    if (!out.response.allowed) {
      EXPECT_EQ(out.response.code, 403) << file;
      EXPECT_EQ(out.response.message.rfind("chartprov: ", 0), 0u) << file << ": " << out.response.message;
      EXPECT_EQ(out.environment, "production") << file;
    }
  }
}

TEST_F(AdmitTest, ATamperedSubchartIsDeniedByItsManifest) {
  const AdmissionOutcome out =
      answer(test::read_text(release_data("reviews/13-create-install-tampered-subchart-helm4.json")));
  EXPECT_EQ(out.judgement.verdict, release::RecordVerdict::kChartMatchesSubchartsUnseen);
  ASSERT_TRUE(out.manifest);
  EXPECT_EQ(out.manifest->verdict, ManifestVerdict::kDiffers);
  EXPECT_EQ(out.manifest->source, "parent/charts/sub/templates/deployment.yaml");
  EXPECT_FALSE(out.response.allowed);
  EXPECT_EQ(out.response.message,
            "chartprov: release shopsub: the manifest is not chart parent 0.1.0 rendered with the release's values, "
            "first at parent/charts/sub/templates/deployment.yaml");
  for (const char* trusted :
       {"04-create-install-parent-vendored-subchart-helm4.json", "08-create-install-parent-helm3.json"}) {
    const AdmissionOutcome ok = answer(test::read_text(release_data(std::string("reviews/") + trusted)));
    EXPECT_TRUE(ok.response.allowed) << trusted << ": " << ok.response.message;
    ASSERT_TRUE(ok.manifest) << trusted;
    EXPECT_EQ(ok.manifest->verdict, ManifestVerdict::kMatches) << trusted;
  }
}

TEST_F(AdmitTest, ADenialSaysWhichChartAndWhatDiffers) {
  const AdmissionOutcome out =
      answer(test::read_text(release_data("reviews/10-create-install-tampered-template-helm4.json")));
  EXPECT_FALSE(out.response.allowed);
  EXPECT_NE(out.response.message.find("plain 0.1.0"), std::string::npos) << out.response.message;
  EXPECT_NE(out.response.message.find("templates/deployment.yaml"), std::string::npos) << out.response.message;
  const std::string json = release::build_admission_response(out.response);
  EXPECT_NE(json.find("\"allowed\":false"), std::string::npos) << json;
}

TEST_F(AdmitTest, TheNamespaceChoosesTheEnvironmentAndItsMode) {
  const std::string tampered = test::read_text(release_data("reviews/10-create-install-tampered-template-helm4.json"));
  const std::string trusted = test::read_text(release_data("reviews/01-create-install-plain-helm4.json"));
  const auto answer_under = [&](const std::string& environment, const std::string& body) {
    const policy::Policy p = policy(environment);
    AdmissionConfig c = config_;
    c.policy = &p;
    auto out = admit(as_bytes(body), c);
    EXPECT_TRUE(out.ok());
    return std::move(out).value();
  };
  const AdmissionOutcome warn = answer_under("staging", tampered);
  EXPECT_EQ(warn.environment, "staging");
  EXPECT_TRUE(warn.response.allowed);
  ASSERT_EQ(warn.response.warnings.size(), 1u);
  EXPECT_NE(warn.response.warnings[0].find("mode warn"), std::string::npos) << warn.response.warnings[0];
  EXPECT_NE(warn.response.warnings[0].find("templates/deployment.yaml"), std::string::npos);
  const AdmissionOutcome trusted_warn = answer_under("staging", trusted);
  EXPECT_TRUE(trusted_warn.response.allowed);
  EXPECT_TRUE(trusted_warn.response.warnings.empty());
  const AdmissionOutcome off = answer_under("sandbox", tampered);
  EXPECT_TRUE(off.response.allowed);
  EXPECT_TRUE(off.response.warnings.empty());
  const AdmissionOutcome unbound = answer_under("", trusted);
  EXPECT_FALSE(unbound.response.allowed);
  EXPECT_EQ(unbound.environment, "");
  EXPECT_NE(unbound.response.message.find("namespace demo is bound to no environment"), std::string::npos)
      << unbound.response.message;
}

TEST_F(AdmitTest, AReviewThatCannotBeReadIsAnError) {
  EXPECT_FALSE(admit(as_bytes(std::string("{}")), config_).ok());
  EXPECT_FALSE(admit(as_bytes(std::string("not json")), config_).ok());
  AdmissionConfig none;
  EXPECT_FALSE(admit(as_bytes(test::read_text(release_data("reviews/01-create-install-plain-helm4.json"))), none).ok());
}

}  // namespace
}  // namespace chartprov::app
