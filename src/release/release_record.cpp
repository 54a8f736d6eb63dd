#include "release/release_record.hpp"

#include <string>

#include "infra/archive/gzip.hpp"
#include "infra/json/untrusted_json.hpp"
#include "util/encoding.hpp"

namespace chartprov::release {
namespace {

using nlohmann::json;

const json* member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string_view string_member(const json& object, const char* key) {
  const json* v = member(object, key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_ref<const std::string&>()) : std::string_view();
}

bool is_gzip(const Bytes& b) { return b.size() >= 3 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 0x08; }

DecodedPayload refused(PayloadFailure f) { return {f, json(), false}; }

// Inflates at most kMaxReleaseJsonSize bytes.
PayloadFailure gunzip(const Bytes& in, std::string& out) {
  auto inflater = archive::GzipInflater::create(0);
  if (!inflater.ok()) return PayloadFailure::kGzipCorrupt;
  bool too_large = false;
  const Status fed = inflater->feed(in, [&](ByteView piece) -> Status {
    if (out.size() + piece.size() > kMaxReleaseJsonSize) {
      too_large = true;
      return input_error("too large");
    }
    out.append(as_chars(piece));
    return ok_status();
  });
  if (too_large) return PayloadFailure::kTooLarge;
  if (!fed.ok()) return PayloadFailure::kGzipCorrupt;
  if (!inflater->finish().ok()) return PayloadFailure::kGzipTruncated;
  return PayloadFailure::kNone;
}

}  // namespace

bool is_release_record(ObjectKind kind, const json& object) {
  if (kind == ObjectKind::kOther || !object.is_object()) return false;
  const json* metadata = member(object, "metadata");
  if (metadata != nullptr) {
    if (const json* labels = member(*metadata, "labels");
        labels != nullptr && string_member(*labels, "owner") == "helm")
      return true;
    if (string_member(*metadata, "name").starts_with(kReleaseNamePrefix)) return true;
  }
  return kind == ObjectKind::kSecret && string_member(object, "type") == kReleaseSecretType;
}

std::string_view describe(PayloadFailure failure) {
  switch (failure) {
    case PayloadFailure::kNone: return "the release payload decoded";
    case PayloadFailure::kNoRelease: return "the record has no data.release";
    case PayloadFailure::kNotString: return "the record's data.release is not a string";
    case PayloadFailure::kStringData: return "the record also carries stringData.release";
    case PayloadFailure::kOuterBase64: return "the record's data.release is not base64";
    case PayloadFailure::kInnerBase64: return "the release payload is not base64";
    case PayloadFailure::kGzipCorrupt: return "the release payload's gzip stream is corrupt";
    case PayloadFailure::kGzipTruncated: return "the release payload's gzip stream is truncated";
    case PayloadFailure::kTooLarge: return "the release payload inflates beyond the 16 MiB limit";
    case PayloadFailure::kNotJson: return "the release payload is not JSON (or nests too deeply)";
    case PayloadFailure::kNotObject: return "the release payload is not a JSON object";
  }
  return "the release payload was refused";
}

DecodedPayload decode_release_payload(ObjectKind kind, const json& object) {
  if (kind == ObjectKind::kSecret) {
    if (const json* sd = member(object, "stringData"); sd != nullptr && member(*sd, "release") != nullptr)
      return refused(PayloadFailure::kStringData);
  }
  const json* data = member(object, "data");
  const json* field = data == nullptr ? nullptr : member(*data, "release");
  if (field == nullptr || field->is_null()) return refused(PayloadFailure::kNoRelease);
  if (!field->is_string()) return refused(PayloadFailure::kNotString);
  const auto& text = field->get_ref<const std::string&>();
  std::string helm_base64;  // Helm's own base64 text
  if (kind == ObjectKind::kSecret) {
    auto outer = base64_decode(text);
    if (!outer.ok()) return refused(PayloadFailure::kOuterBase64);
    helm_base64.assign(as_chars(*outer));
  } else {
    helm_base64 = text;
  }
  auto inner = base64_decode(helm_base64);
  if (!inner.ok()) return refused(PayloadFailure::kInnerBase64);
  DecodedPayload out;
  std::string json_text;
  if (is_gzip(*inner)) {
    out.compressed = true;
    if (const PayloadFailure f = gunzip(*inner, json_text); f != PayloadFailure::kNone) return refused(f);
  } else {
    if (inner->size() > kMaxReleaseJsonSize) return refused(PayloadFailure::kTooLarge);
    json_text.assign(as_chars(*inner));
  }
  out.release = parse_untrusted_json(json_text);
  if (out.release.is_discarded()) return refused(PayloadFailure::kNotJson);
  if (!out.release.is_object()) return refused(PayloadFailure::kNotObject);
  return out;
}

std::string release_object_name(std::string_view name, std::int64_t version) {
  return std::string(kReleaseNamePrefix) + std::string(name) + ".v" + std::to_string(version);
}

}  // namespace chartprov::release
