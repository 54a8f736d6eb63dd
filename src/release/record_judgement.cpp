#include "release/record_judgement.hpp"

#include "release/manifest_sources.hpp"
#include "release/release_model.hpp"
#include "release/status_update.hpp"

namespace chartprov::release {
namespace {

using nlohmann::json;

std::string string_at(const json& object, const char* a, const char* b) {
  if (!object.is_object()) return {};
  const auto outer = object.find(a);
  if (outer == object.end() || !outer->is_object()) return {};
  const auto inner = outer->find(b);
  return inner != outer->end() && inner->is_string() ? inner->get<std::string>() : std::string();
}

const json* label(const json& object, const char* key);

// A label that is present must say `want` (absent labels are not read by Helm's queries).
bool label_differs(const json& object, const char* key, const std::string& want) {
  const json* v = label(object, key);
  return v != nullptr && !(v->is_string() && v->get_ref<const std::string&>() == want);
}

const json* label(const json& object, const char* key) {
  const auto md = object.find("metadata");
  if (md == object.end() || !md->is_object()) return nullptr;
  const auto labels = md->find("labels");
  if (labels == md->end() || !labels->is_object()) return nullptr;
  const auto it = labels->find(key);
  return it == labels->end() ? nullptr : &*it;
}

RecordVerdict check_consistency(const AdmissionRequest& request, const Release& release) {
  if (string_at(request.object, "metadata", "name") != release_object_name(release.name, release.version)) {
    return RecordVerdict::kObjectNameMismatch;
  }
  if (label_differs(request.object, "name", release.name) ||
      label_differs(request.object, "version", std::to_string(release.version))) {
    return RecordVerdict::kLabelMismatch;
  }
  if (!request.namespace_name.empty() && release.namespace_name != request.namespace_name) {
    return RecordVerdict::kNamespaceMismatch;
  }
  return RecordVerdict::kChartMatches;  // consistent; the chart decides
}

std::string metadata_string(const json& metadata, const char* key) {
  const auto it = metadata.find(key);
  return it != metadata.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

bool is_judged_request(const AdmissionRequest& request) {
  if (request.operation == Operation::kDelete || request.operation == Operation::kConnect) return false;
  return is_release_record(request.kind, request.object) ||
         (request.operation == Operation::kUpdate && is_release_record(request.kind, request.old_object));
}

RecordJudgement judge_record_request(const AdmissionRequest& request, std::span<const VerifiedChart> verified) {
  RecordJudgement j;
  if (request.operation == Operation::kDelete || request.operation == Operation::kConnect) {
    j.verdict = RecordVerdict::kNotJudgedOperation;
    return j;
  }
  if (!is_judged_request(request)) {
    j.verdict = RecordVerdict::kNotARecord;
    return j;
  }
  DecodedPayload payload = decode_release_payload(request.kind, request.object);
  if (payload.failure != PayloadFailure::kNone) {
    j.verdict = RecordVerdict::kPayloadRefused;
    j.payload_failure = payload.failure;
    return j;
  }
  j.legacy_uncompressed = !payload.compressed;
  if (request.operation == Operation::kUpdate) {
    const DecodedPayload old = decode_release_payload(request.kind, request.old_object);
    j.status_only = old.failure == PayloadFailure::kNone && is_status_only_change(old.release, payload.release);
  }
  auto release = read_release(payload.release);
  if (!release.ok()) {
    j.verdict = RecordVerdict::kReleaseUnreadable;
    j.detail = release.error().message;
    return j;
  }
  j.release_name = release->name;
  j.chart_name = metadata_string(release->chart.metadata, "name");
  j.chart_version = metadata_string(release->chart.metadata, "version");
  j.verdict = check_consistency(request, *release);
  if (j.verdict != RecordVerdict::kChartMatches) return j;
  for (const VerifiedChart& candidate : verified) {
    if (candidate.metadata.name == j.chart_name && candidate.metadata.version == j.chart_version) j.chart = &candidate;
  }
  if (j.chart == nullptr) {
    j.verdict = RecordVerdict::kChartNotVerified;
    return j;
  }
  j.difference = compare_chart(release->chart, *j.chart);
  j.content = {release->namespace_name, release->version, std::move(release->config), std::move(release->manifest),
               std::move(release->hooks)};
  if (j.difference.mismatch != ChartMismatch::kNone) {
    j.verdict = RecordVerdict::kChartDiffers;
    return j;
  }
  j.detail = first_unknown_source(j.content.manifest, j.content.hooks, *j.chart);
  if (!j.detail.empty()) {
    j.verdict = RecordVerdict::kUnknownSource;
  } else if (!j.chart->subcharts.empty()) {
    j.verdict = RecordVerdict::kChartMatchesSubchartsUnseen;
  }
  return j;
}

bool allowed_by_chart_object(RecordVerdict verdict) {
  return verdict == RecordVerdict::kNotJudgedOperation || verdict == RecordVerdict::kNotARecord ||
         verdict == RecordVerdict::kChartMatches;
}

std::string describe(const RecordJudgement& j) {
  const std::string chart = j.chart_name + " " + j.chart_version;
  const std::string release = "release " + j.release_name + ": ";
  switch (j.verdict) {
    case RecordVerdict::kNotJudgedOperation: return "a DELETE or CONNECT cannot introduce chart content";
    case RecordVerdict::kNotARecord: return "not a Helm release record";
    case RecordVerdict::kPayloadRefused: return std::string(describe(j.payload_failure));
    case RecordVerdict::kReleaseUnreadable: return j.detail;
    case RecordVerdict::kObjectNameMismatch:
      return release + "the object's name is not sh.helm.release.v1.<name>.v<revision> of its payload";
    case RecordVerdict::kLabelMismatch: return release + "the labels name or version differ from the payload";
    case RecordVerdict::kNamespaceMismatch: return release + "the payload's namespace differs from the request's";
    case RecordVerdict::kChartNotVerified: return release + "chart " + chart + " is not a verified chart";
    case RecordVerdict::kChartDiffers: return release + "chart " + chart + ": " + describe(j.difference);
    case RecordVerdict::kUnknownSource:
      return release + "the manifest names " + j.detail + ", which is not a template of the verified chart " + chart;
    case RecordVerdict::kChartMatches: return release + "chart " + chart + " matches the verified chart";
    case RecordVerdict::kChartMatchesSubchartsUnseen:
      return release + "chart " + chart +
             " matches the verified chart, but its subcharts are not in the record: only the manifest shows them";
  }
  return release + "not judged";
}

}  // namespace chartprov::release
