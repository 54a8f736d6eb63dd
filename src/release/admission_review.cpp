#include "release/admission_review.hpp"

#include "infra/json/untrusted_json.hpp"

namespace chartprov::release {
namespace {

using nlohmann::json;

constexpr int kDefaultDenyCode = 403;
constexpr int kLowestDenyCode = 400;

Result<Operation> operation_of(const json& op) {
  if (!op.is_string()) return input_error("AdmissionReview: request.operation is missing or not a string");
  const auto& s = op.get_ref<const std::string&>();
  if (s == "CREATE") return Operation::kCreate;
  if (s == "UPDATE") return Operation::kUpdate;
  if (s == "DELETE") return Operation::kDelete;
  if (s == "CONNECT") return Operation::kConnect;
  return input_error("AdmissionReview: request.operation is not CREATE, UPDATE, DELETE or CONNECT");
}

// An optional string field: absent or null is "", anything else but a string is refused.
Result<std::string> optional_string(const json& parent, const char* key, const char* refusal) {
  const auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return std::string();
  if (!it->is_string()) return input_error(refusal);
  return it->get<std::string>();
}

Result<json> optional_object(const json& parent, const char* key, const char* refusal) {
  const auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return json(nullptr);
  if (!it->is_object()) return input_error(refusal);
  return *it;
}

Status read_kind(const json& request, AdmissionRequest& out) {
  const auto kind = request.find("kind");
  if (kind == request.end() || !kind->is_object()) return input_error("AdmissionReview: request.kind is missing");
  TRY(out.kind_name, optional_string(*kind, "kind", "AdmissionReview: request.kind.kind is not a string"));
  if (out.kind_name.empty()) return input_error("AdmissionReview: request.kind.kind is missing");
  TRY(out.group, optional_string(*kind, "group", "AdmissionReview: request.kind.group is not a string"));
  if (out.group.empty() && out.kind_name == "Secret") out.kind = ObjectKind::kSecret;
  if (out.group.empty() && out.kind_name == "ConfigMap") out.kind = ObjectKind::kConfigMap;
  return ok_status();
}

Status check_objects_present(const AdmissionRequest& r) {
  const bool needs_object = r.operation == Operation::kCreate || r.operation == Operation::kUpdate;
  const bool needs_old = r.operation == Operation::kUpdate || r.operation == Operation::kDelete;
  if (needs_object && r.object.is_null()) return input_error("AdmissionReview: request.object is missing");
  if (needs_old && r.old_object.is_null()) return input_error("AdmissionReview: request.oldObject is missing");
  return ok_status();
}

}  // namespace

Result<AdmissionRequest> parse_admission_review(ByteView body) {
  if (body.size() > kMaxAdmissionReviewSize) {
    return input_error("AdmissionReview: the body is larger than " + std::to_string(kMaxAdmissionReviewSize) +
                       " bytes");
  }
  const json doc = parse_untrusted_json(body);
  if (doc.is_discarded()) return input_error("AdmissionReview: not JSON, or nested too deeply");
  if (!doc.is_object()) return input_error("AdmissionReview: the document is not an object");
  if (doc.value("apiVersion", json()) != "admission.k8s.io/v1" || doc.value("kind", json()) != "AdmissionReview") {
    return input_error("AdmissionReview: apiVersion must be admission.k8s.io/v1 and kind AdmissionReview");
  }
  const auto request = doc.find("request");
  if (request == doc.end() || !request->is_object()) return input_error("AdmissionReview: no request");
  AdmissionRequest out;
  TRY(out.uid, optional_string(*request, "uid", "AdmissionReview: request.uid is not a string"));
  if (out.uid.empty()) return input_error("AdmissionReview: request.uid is missing");
  TRY_STATUS(read_kind(*request, out));
  TRY(out.operation, operation_of(request->value("operation", json())));
  TRY(out.name, optional_string(*request, "name", "AdmissionReview: request.name is not a string"));
  TRY(out.namespace_name, optional_string(*request, "namespace", "AdmissionReview: request.namespace is not a string"));
  if (const auto dry = request->find("dryRun"); dry != request->end() && !dry->is_null()) {
    if (!dry->is_boolean()) return input_error("AdmissionReview: request.dryRun is not a boolean");
    out.dry_run = dry->get<bool>();
  }
  if (const auto info = request->find("userInfo"); info != request->end() && !info->is_null()) {
    if (!info->is_object()) return input_error("AdmissionReview: request.userInfo is not an object");
    TRY(out.user, optional_string(*info, "username", "AdmissionReview: request.userInfo.username is not a string"));
    if (out.user.size() > kMaxUserName) out.user.resize(kMaxUserName);
  }
  TRY(out.object, optional_object(*request, "object", "AdmissionReview: request.object is not an object"));
  TRY(out.old_object, optional_object(*request, "oldObject", "AdmissionReview: request.oldObject is not an object"));
  TRY_STATUS(check_objects_present(out));
  return out;
}

std::string build_admission_response(const AdmissionResponse& response) {
  json r = {{"uid", response.uid}, {"allowed", response.allowed}};
  if (!response.allowed) {
    const int code = response.code == 0 ? kDefaultDenyCode : std::max(response.code, kLowestDenyCode);
    r["status"] = {{"code", code}, {"message", response.message}};
  }
  if (!response.warnings.empty()) r["warnings"] = response.warnings;
  const json doc = {{"apiVersion", "admission.k8s.io/v1"}, {"kind", "AdmissionReview"}, {"response", std::move(r)}};
  // Replace invalid UTF-8 (from a record's names) rather than throw.
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace chartprov::release
