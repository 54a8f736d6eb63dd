#pragma once
// The field readers of chartprov's own signed JSON documents (the trust
// root): every object's keys checked against a fixed list, strings, RFC 3339
// times and bounded lists of strings, each failure naming where it is
// ("signing key #2: missing \"status\"").
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace chartprov::trust {

// Refused: obj not an object ("WHERE must be an object"), a key not in
// `known` ("WHERE: unknown field \"NAME\"").
Status check_fields(const nlohmann::json& obj, std::initializer_list<const char*> known, const std::string& where);

// The string field `name`; "" when absent and not required. Refused: absent
// and required ("WHERE: missing \"NAME\""), not a string.
Result<std::string> str(const nlohmann::json& obj, const char* name, bool required, const std::string& where);

// An RFC 3339 time (util/rfc3339.hpp); nullopt when absent and not required.
// Refused: as str(), and a text that is not such a time.
Result<std::optional<std::int64_t>> time_field(const nlohmann::json& obj, const char* name, bool required,
                                               const std::string& where);

// A list of at most `max` strings; empty when absent. Refused: not a list,
// longer than `max`, an item that is not a string.
Result<std::vector<std::string>> str_list(const nlohmann::json& obj, const char* name, std::size_t max,
                                          const std::string& where);

}  // namespace chartprov::trust
