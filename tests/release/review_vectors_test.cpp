// Every AdmissionReview of tests/data/helm-release/expected.tsv, through the
// parser, the record selection, the payload decoder, the release reader and
// the comparison with the trusted charts (charts/*.tgz).
//
// Rows decided by the chart object assert expected.tsv's verdict exactly.
// Rows 04, 08 (expected allow) and 13 (expected deny) involve a chart with a
// vendored subchart: a record does not hold subcharts, so the chart object
// cannot decide them; what is asserted is that the chart object matches and
// the verdict says only the manifest shows the subcharts. The manifest check
// (app/admission/manifest_check.hpp, tests/app/admission_test.cpp) decides
// them: 04 and 08 admitted, 13 denied.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "release/record_judgement.hpp"
#include "release/release_test_support.hpp"

namespace chartprov::release {
namespace {

using test::read_review;
using test::release_data;

struct Row {
  Row(RecordVerdict v, ChartMismatch m = ChartMismatch::kNone, std::string s = {},
      PayloadFailure p = PayloadFailure::kNone, bool so = false)
      : verdict(v), mismatch(m), subject(std::move(s)), payload(p), status_only(so) {}
  RecordVerdict verdict;
  ChartMismatch mismatch;
  std::string subject;
  PayloadFailure payload;
  bool status_only;
};

const std::map<std::string, Row>& rows() {
  static const std::map<std::string, Row> r = {
      {"01-create-install-plain-helm4.json", {RecordVerdict::kChartMatches}},
      {"02-create-upgrade-rev2-plain-helm4.json", {RecordVerdict::kChartMatches}},
      {"03-create-rollback-rev3-plain-helm4.json", {RecordVerdict::kChartMatches}},
      {"04-create-install-parent-vendored-subchart-helm4.json", {RecordVerdict::kChartMatchesSubchartsUnseen}},
      {"05-create-install-withschema-helm4.json", {RecordVerdict::kChartMatches}},
      {"06-create-install-plain-helm3.json", {RecordVerdict::kChartMatches}},
      {"07-create-upgrade-rev2-plain-helm3.json", {RecordVerdict::kChartMatches}},
      {"08-create-install-parent-helm3.json", {RecordVerdict::kChartMatchesSubchartsUnseen}},
      {"09-create-install-from-unpacked-dir-identical-helm4.json", {RecordVerdict::kChartMatches}},
      {"10-create-install-tampered-template-helm4.json",
       {RecordVerdict::kChartDiffers, ChartMismatch::kTemplateDiffers, "templates/deployment.yaml"}},
      {"12-create-install-values-defaults-differ-helm4.json",
       {RecordVerdict::kChartDiffers, ChartMismatch::kValuesDiffer, "image.repository"}},
      {"13-create-install-tampered-subchart-helm4.json", {RecordVerdict::kChartMatchesSubchartsUnseen}},
      {"14-create-configmap-driver-install-helm4.json", {RecordVerdict::kChartMatches}},
      {"15-create-configmap-driver-tampered.json",
       {RecordVerdict::kChartDiffers, ChartMismatch::kTemplateDiffers, "templates/deployment.yaml"}},
      {"16-create-non-helm-secret.json", {RecordVerdict::kNotARecord}},
      {"17-create-non-helm-configmap.json", {RecordVerdict::kNotARecord}},
      {"19-create-dryrun-install-plain-trusted.json", {RecordVerdict::kChartMatches}},
      {"20-create-dryrun-install-tampered.json",
       {RecordVerdict::kChartDiffers, ChartMismatch::kTemplateDiffers, "templates/deployment.yaml"}},
      {"21-create-malformed-base64.json",
       {RecordVerdict::kPayloadRefused, ChartMismatch::kNone, "", PayloadFailure::kInnerBase64}},
      {"22-create-malformed-gzip-truncated.json",
       {RecordVerdict::kPayloadRefused, ChartMismatch::kNone, "", PayloadFailure::kGzipTruncated}},
      {"23-create-malformed-not-json.json",
       {RecordVerdict::kPayloadRefused, ChartMismatch::kNone, "", PayloadFailure::kNotJson}},
      {"25-create-gzip-bomb-128MiB.json",
       {RecordVerdict::kPayloadRefused, ChartMismatch::kNone, "", PayloadFailure::kTooLarge}},
      {"26-update-install-pending-to-deployed-helm4.json",
       {RecordVerdict::kChartMatches, ChartMismatch::kNone, "", PayloadFailure::kNone, true}},
      {"27-update-upgrade-supersede-rev1-helm4.json",
       {RecordVerdict::kChartMatches, ChartMismatch::kNone, "", PayloadFailure::kNone, true}},
      {"28-update-upgrade-rev2-deployed-helm4.json",
       {RecordVerdict::kChartMatches, ChartMismatch::kNone, "", PayloadFailure::kNone, true}},
      {"29-update-install-deployed-helm3.json",
       {RecordVerdict::kChartMatches, ChartMismatch::kNone, "", PayloadFailure::kNone, true}},
      {"30-update-configmap-driver-deployed-helm4.json",
       {RecordVerdict::kChartMatches, ChartMismatch::kNone, "", PayloadFailure::kNone, true}},
      {"32-update-status-only-preexisting-untrusted.json",
       {RecordVerdict::kChartDiffers, ChartMismatch::kTemplateDiffers, "templates/deployment.yaml",
        PayloadFailure::kNone, true}},
      {"33-delete-release-record.json", {RecordVerdict::kNotJudgedOperation}},
  };
  return r;
}

TEST(ReviewVectors, EveryRowOfExpectedTsvIsJudged) {
  const auto expected = test::expected_verdicts();
  ASSERT_EQ(expected.size(), 29u);
  const auto trusted = test::trusted_charts();
  for (const auto& [review, allowed] : expected) {
    SCOPED_TRACE(review);
    ASSERT_TRUE(rows().contains(review)) << "a row of expected.tsv without an assertion here";
    const Row& want = rows().at(review);
    const RecordJudgement j = judge_record_request(read_review(review), trusted);
    EXPECT_EQ(j.verdict, want.verdict) << describe(j);
    EXPECT_EQ(j.payload_failure, want.payload);
    EXPECT_EQ(j.difference.mismatch, want.mismatch) << describe(j);
    EXPECT_EQ(j.difference.subject, want.subject);
    EXPECT_EQ(j.status_only, want.status_only);
    if (want.verdict == RecordVerdict::kChartMatchesSubchartsUnseen) {
      EXPECT_FALSE(allowed_by_chart_object(j.verdict));  // the manifest check decides
    } else {
      EXPECT_EQ(allowed_by_chart_object(j.verdict), allowed) << describe(j);
    }
  }
}

TEST(ReviewVectors, DenialsNameTheChartAndTheFile) {
  const auto trusted = test::trusted_charts();
  const RecordJudgement j =
      judge_record_request(read_review("10-create-install-tampered-template-helm4.json"), trusted);
  EXPECT_EQ(describe(j),
            "release evil: chart plain 0.1.0: template templates/deployment.yaml differs from the verified chart");
  const RecordJudgement bomb = judge_record_request(read_review("25-create-gzip-bomb-128MiB.json"), trusted);
  EXPECT_EQ(describe(bomb), "the release payload inflates beyond the 16 MiB limit");
}

TEST(ReviewVectors, ChartsOutsideTheTrustedSetAreNotVerified) {
  std::vector<VerifiedChart> only_sub = {test::load_chart_file(release_data("charts/sub-0.1.0.tgz"))};
  const RecordJudgement j = judge_record_request(read_review("01-create-install-plain-helm4.json"), only_sub);
  EXPECT_EQ(j.verdict, RecordVerdict::kChartNotVerified);
  EXPECT_EQ(j.chart_name, "plain");
  EXPECT_EQ(j.chart_version, "0.1.0");
}

TEST(ReviewVectors, TheUntrustedVariantsAreRefusedAsTrustedCharts) {
  // Trusting the tampered variant instead makes the trusted record differ, in the same file.
  std::vector<VerifiedChart> tampered = {
      test::load_chart_file(release_data("charts/variants/tampered/plain-0.1.0.tgz"))};
  const RecordJudgement j = judge_record_request(read_review("01-create-install-plain-helm4.json"), tampered);
  EXPECT_EQ(j.verdict, RecordVerdict::kChartDiffers);
  EXPECT_EQ(j.difference.subject, "templates/deployment.yaml");
  std::vector<VerifiedChart> drift = {
      test::load_chart_file(release_data("charts/variants/valuesdrift/plain-0.1.0.tgz"))};
  const RecordJudgement v = judge_record_request(read_review("01-create-install-plain-helm4.json"), drift);
  EXPECT_EQ(v.difference.mismatch, ChartMismatch::kValuesDiffer);
}

}  // namespace
}  // namespace chartprov::release
