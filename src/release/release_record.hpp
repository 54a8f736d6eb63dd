#pragma once
// Helm release records as Kubernetes objects (helm pkg/storage/driver
// secrets.go, cfgmaps.go, util.go; tests/data/helm-release/FORMAT.md §1-2):
// which objects are records, and the bounded decoding of their payload.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "release/admission_review.hpp"

namespace chartprov::release {

inline constexpr std::string_view kReleaseNamePrefix = "sh.helm.release.v1.";
inline constexpr std::string_view kReleaseSecretType = "helm.sh/release.v1";

// The release JSON is never inflated beyond this: a Secret holds at most
// 1 MiB of data and release JSON compresses 3-10 times, so 16 MiB is far
// above any real record, and a gzip bomb (FORMAT.md case 25) costs at most
// this much memory. Helm itself has no limit (io.ReadAll).
inline constexpr std::uint64_t kMaxReleaseJsonSize = 16u << 20;

// Whether Helm would read this object as a release record. Helm never checks
// a Secret's type: it reads records by name (Get) and by the labels
// name=<release>,owner=helm (History, Query). So a Secret or ConfigMap is a
// record when it has the label owner=helm, or a name starting with
// "sh.helm.release.v1.", or (Secret) the type helm.sh/release.v1.
[[nodiscard]] bool is_release_record(ObjectKind kind, const nlohmann::json& object);

// Why a payload was refused; kNone when it decoded.
enum class PayloadFailure {
  kNone,
  kNoRelease,      // no data.release
  kNotString,      // data.release is not a string
  kStringData,     // a Secret with stringData.release: two payloads
  kOuterBase64,    // a Secret's data.release is not base64 (Kubernetes' layer)
  kInnerBase64,    // Helm's base64 layer is not base64
  kGzipCorrupt,    // the gzip stream is corrupt (or has bytes after its end)
  kGzipTruncated,  // the gzip stream ends before its trailer
  kTooLarge,       // more than kMaxReleaseJsonSize bytes of release JSON
  kNotJson,        // the release is not JSON, or nests deeper than kMaxNestingDepth
  kNotObject,      // the release JSON is not an object
};

// One fixed sentence per failure.
[[nodiscard]] std::string_view describe(PayloadFailure failure);

struct DecodedPayload {
  PayloadFailure failure = PayloadFailure::kNone;
  nlohmann::json release;   // the release JSON, when failure == kNone
  bool compressed = false;  // gzip (Helm's own writes); false: a legacy plain payload
};

// Decodes data.release of a Secret (base64 of Helm's base64(gzip(json))) or
// of a ConfigMap (Helm's base64 string). Like Helm's decodeRelease, the gzip
// layer is there only when the bytes start 1f 8b 08; otherwise they are the
// JSON itself. Inflation stops at kMaxReleaseJsonSize. Exactly one gzip
// member is read: bytes after it are refused (kGzipCorrupt).
[[nodiscard]] DecodedPayload decode_release_payload(ObjectKind kind, const nlohmann::json& object);

// "sh.helm.release.v1.<name>.v<version>" (helm pkg/storage/storage.go makeKey).
[[nodiscard]] std::string release_object_name(std::string_view name, std::int64_t version);

}  // namespace chartprov::release
