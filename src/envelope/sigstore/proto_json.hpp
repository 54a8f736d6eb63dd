#pragma once
// The proto3 JSON mapping as Go's protojson reads it, for Sigstore documents:
// field names in lowerCamelCase or the proto's snake_case, unknown fields
// refused, null = unset, int64 as a decimal string or a number, bytes as
// standard or URL-safe base64 with or without padding, line ends (CR, LF)
// skipped as Go's decoder skips them (conformance
// rekor2-timestamp-with-incorrect-time_fail wraps its timestamp at 76 columns).
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::sigstore::protojson {

// Every key of obj must be one of `known` (camelCase), in either spelling, once.
Status check_fields(const nlohmann::json& obj, std::initializer_list<const char*> known);
// The field (camelCase name) or null when absent or JSON null.
const nlohmann::json* field(const nlohmann::json& obj, const char* camel);

Result<std::string> string_field(const nlohmann::json& obj, const char* camel, bool required);
Result<std::int64_t> int64_field(const nlohmann::json& obj, const char* camel, bool required);
Result<Bytes> bytes_field(const nlohmann::json& obj, const char* camel, bool required);
Result<Bytes> decode_bytes(std::string_view text);

}  // namespace chartprov::sigstore::protojson
