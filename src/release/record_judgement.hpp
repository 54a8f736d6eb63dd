#pragma once
// One AdmissionReview request about a possible Helm release record, judged
// against the charts that verified: the pure core of the admission webhook
// (issue 15). It decides what the record's chart object can decide; the
// manifest rendering check, the policy's environments and the event are the
// caller's.
//
// Order: DELETE and CONNECT cannot introduce content (allowed, not judged);
// an object that is not a release record is ignored (for UPDATE, the old
// object counts too); then the payload is decoded (release_record.hpp), read
// (release_model.hpp), checked for consistency with the object that carries
// it (object name sh.helm.release.v1.<name>.v<version>, labels name and
// version when present, the request's namespace), matched by chart name and
// version to a verified chart and compared (chart_comparison.hpp), and the
// manifest's and hooks' source paths checked (manifest_sources.hpp). An UPDATE
// is judged on its content like a CREATE (Helm's rollback and a status-only
// update both carry chart content), and says whether it changed only status.
// A judgement that reached the comparison keeps what the manifest check
// renders and compares (RecordJudgement::content).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "release/admission_review.hpp"
#include "release/chart_comparison.hpp"
#include "release/release_model.hpp"
#include "release/release_record.hpp"
#include "release/verified_chart.hpp"

namespace chartprov::release {

enum class RecordVerdict {
  kNotJudgedOperation,           // DELETE or CONNECT: allowed
  kNotARecord,                   // not a Helm release record: allowed, ignored
  kPayloadRefused,               // see payload_failure
  kReleaseUnreadable,            // the release JSON is not what Helm stores (detail: the reader's message)
  kObjectNameMismatch,           // object name is not sh.helm.release.v1.<name>.v<version>
  kLabelMismatch,                // label name or version differs from the payload
  kNamespaceMismatch,            // release.namespace differs from the request's namespace
  kChartNotVerified,             // no verified chart with this name and version
  kChartDiffers,                 // see difference
  kUnknownSource,                // the manifest or a hook names a template the verified chart lacks (detail: the path)
  kChartMatches,                 // the chart object is exactly a verified chart without subcharts: allowed
  kChartMatchesSubchartsUnseen,  // matches, but the verified chart has subcharts, which a record does not
                                 // hold: only the manifest check can decide (FORMAT.md §6.3)
};

// What the manifest check needs of a record: the inputs of its rendering and
// what it rendered.
struct RecordContent {
  std::string namespace_name;  // release.namespace
  std::int64_t revision = 0;   // release.version
  nlohmann::json config;       // the user's values (an object)
  std::string manifest;        // release.manifest
  std::vector<RecordHook> hooks;
};

struct RecordJudgement {
  RecordVerdict verdict = RecordVerdict::kPayloadRefused;
  PayloadFailure payload_failure = PayloadFailure::kNone;
  ChartDifference difference;
  std::string detail;        // kReleaseUnreadable: the reader's message; kUnknownSource: the path
  std::string release_name;  // from the payload, once read
  std::string chart_name;    // chart.metadata name and version, once read
  std::string chart_version;
  const VerifiedChart* chart = nullptr;  // the verified chart compared with
  bool status_only = false;              // UPDATE: payload equal to oldObject's but for status fields
  bool legacy_uncompressed = false;      // the payload was not gzip (Helm still reads it)
  RecordContent content;                 // set when chart != nullptr
};

// Whether judge_record_request judges the request at all: a CREATE or UPDATE
// of a Helm release record (for UPDATE, the old object counts too). Nothing
// is decoded.
[[nodiscard]] bool is_judged_request(const AdmissionRequest& request);

[[nodiscard]] RecordJudgement judge_record_request(const AdmissionRequest& request,
                                                   std::span<const VerifiedChart> verified);

// Whether the chart object alone allows the request (kNotJudgedOperation,
// kNotARecord, kChartMatches). kChartMatchesSubchartsUnseen is not allowed
// by this alone.
[[nodiscard]] bool allowed_by_chart_object(RecordVerdict verdict);

// One fixed sentence per verdict, naming the release, chart, file or field.
[[nodiscard]] std::string describe(const RecordJudgement& judgement);

}  // namespace chartprov::release
