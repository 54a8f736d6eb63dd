#pragma once
// Reading fields of a transparency-log entry body by path, without throwing:
// a missing field, or one of another JSON type, is null or empty.
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>

namespace chartprov::tlog {

// The value at path (object keys), or null when some step is missing or not an object.
inline const nlohmann::json* json_at(const nlohmann::json& j, std::initializer_list<const char*> path) {
  const nlohmann::json* cur = &j;
  for (const char* p : path) {
    if (!cur->is_object()) return nullptr;
    const auto it = cur->find(p);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

// The string at path, or "" when there is none.
inline std::string json_string_at(const nlohmann::json& j, std::initializer_list<const char*> path) {
  const nlohmann::json* v = json_at(j, path);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

}  // namespace chartprov::tlog
