#include "trust/json_fields.hpp"

#include "util/rfc3339.hpp"

namespace chartprov::trust {

using nlohmann::json;

Status check_fields(const json& obj, std::initializer_list<const char*> known, const std::string& where) {
  if (!obj.is_object()) return input_error(where + " must be an object");
  for (const auto& [name, value] : obj.items()) {
    bool ok = false;
    for (const char* k : known) ok = ok || name == k;
    if (!ok) return input_error(where + ": unknown field \"" + name + "\"");
  }
  return ok_status();
}

Result<std::string> str(const json& obj, const char* name, bool required, const std::string& where) {
  const auto it = obj.find(name);
  if (it == obj.end()) {
    if (required) return input_error(where + ": missing \"" + name + "\"");
    return std::string();
  }
  if (!it->is_string()) return input_error(where + ": \"" + name + "\" must be a string");
  return it->get<std::string>();
}

Result<std::optional<std::int64_t>> time_field(const json& obj, const char* name, bool required,
                                               const std::string& where) {
  TRY(const std::string t, str(obj, name, required, where));
  if (t.empty()) return std::optional<std::int64_t>();
  auto v = parse_rfc3339(t);
  if (!v) return input_error(where + ": \"" + name + "\": " + v.error().message);
  return std::optional<std::int64_t>(*v);
}

Result<std::vector<std::string>> str_list(const json& obj, const char* name, std::size_t max,
                                          const std::string& where) {
  std::vector<std::string> out;
  const auto it = obj.find(name);
  if (it == obj.end()) return out;
  if (!it->is_array() || it->size() > max) return input_error(where + ": \"" + name + "\" must be a list of strings");
  for (const auto& v : *it) {
    if (!v.is_string()) return input_error(where + ": \"" + name + "\" must be a list of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace chartprov::trust
