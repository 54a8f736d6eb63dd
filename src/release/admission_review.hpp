#pragma once
// Kubernetes admission.k8s.io/v1 AdmissionReview: the request a validating
// webhook receives and the response it returns (kubernetes/api
// admission/v1/types.go; what the apiserver checks in a response:
// apiserver admission/plugin/webhook/request/admissionreview.go).
//
// parse_admission_review refuses, each with one fixed message:
//  - a body larger than kMaxAdmissionReviewSize;
//  - text that is not JSON, or nests deeper than kMaxNestingDepth
//    (infra/json/untrusted_json.hpp);
//  - apiVersion other than admission.k8s.io/v1 or kind other than
//    AdmissionReview;
//  - no request object;
//  - a missing or empty request.uid, or one that is not a string;
//  - request.kind without a string kind;
//  - an operation other than CREATE, UPDATE, DELETE or CONNECT;
//  - name or namespace present but not strings, dryRun present but not a bool;
//  - userInfo present but not an object, or its username not a string;
//  - object or oldObject present but neither an object nor null;
//  - the object the operation needs missing (CREATE and UPDATE: object;
//    UPDATE and DELETE: oldObject).
// Unknown fields are ignored (the apiserver adds fields over time).
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::release {

// The apiserver's own request body limit is 3 MiB for a Secret write
// (1 MiB of data, base64); a review carries object and oldObject plus
// metadata: 8 MiB is well above any review of a valid object.
inline constexpr std::size_t kMaxAdmissionReviewSize = 8u << 20;

inline constexpr std::size_t kMaxUserName = 256;

enum class Operation { kCreate, kUpdate, kDelete, kConnect };

// The kinds a Helm storage driver writes; everything else is kOther.
enum class ObjectKind { kSecret, kConfigMap, kOther };

struct AdmissionRequest {
  std::string uid;
  ObjectKind kind = ObjectKind::kOther;
  std::string kind_name;  // request.kind.kind as sent ("Secret")
  std::string group;      // request.kind.group ("" for core)
  Operation operation = Operation::kCreate;
  bool dry_run = false;
  std::string name;
  std::string namespace_name;
  std::string user;           // request.userInfo.username: who asked ("" when absent), cut at kMaxUserName bytes
  nlohmann::json object;      // null when absent (DELETE)
  nlohmann::json old_object;  // null when absent (CREATE)
};

[[nodiscard]] Result<AdmissionRequest> parse_admission_review(ByteView body);

// The answer to one request. On a denial, code is the HTTP-like status code
// shown by kubectl/helm (403 when 0; the apiserver raises codes below 400 to
// 400, so they are raised here too) and message is what the person deploying
// reads.
struct AdmissionResponse {
  std::string uid;
  bool allowed = false;
  int code = 0;
  std::string message;
  std::vector<std::string> warnings;
};

// {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{...}}
// with the uid echoed, never a patch (a validating webhook must not patch).
[[nodiscard]] std::string build_admission_response(const AdmissionResponse& response);

}  // namespace chartprov::release
