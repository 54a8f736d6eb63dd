#include "envelope/sigstore/proto_json.hpp"

#include <set>

#include "util/encoding.hpp"

namespace chartprov::sigstore::protojson {
namespace {

std::string snake_of(const char* camel) {
  std::string out;
  for (const char* p = camel; *p != '\0'; ++p) {
    if (*p >= 'A' && *p <= 'Z') {
      out += '_';
      out += static_cast<char>(*p - 'A' + 'a');
    } else {
      out += *p;
    }
  }
  return out;
}

}  // namespace

Status check_fields(const nlohmann::json& obj, std::initializer_list<const char*> known) {
  if (!obj.is_object()) return input_error("expected a JSON object");
  std::set<std::string> seen;
  for (const auto& [name, value] : obj.items()) {
    bool ok = false;
    for (const char* k : known) {
      if (name == k || name == snake_of(k)) {
        if (!seen.insert(k).second) return input_error("field \"" + std::string(k) + "\" is given twice");
        ok = true;
        break;
      }
    }
    if (!ok) return input_error("unknown field \"" + name + "\"");
  }
  return ok_status();
}

const nlohmann::json* field(const nlohmann::json& obj, const char* camel) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(camel);
  if (it == obj.end()) it = obj.find(snake_of(camel));
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

Result<std::string> string_field(const nlohmann::json& obj, const char* camel, bool required) {
  const auto* v = field(obj, camel);
  if (v == nullptr) {
    if (required) return input_error(std::string("missing \"") + camel + "\"");
    return std::string();
  }
  if (!v->is_string()) return input_error(std::string("\"") + camel + "\" must be a string");
  return v->get<std::string>();
}

Result<std::int64_t> int64_field(const nlohmann::json& obj, const char* camel, bool required) {
  const auto* v = field(obj, camel);
  if (v == nullptr) {
    if (required) return input_error(std::string("missing \"") + camel + "\"");
    return std::int64_t{0};
  }
  if (v->is_number_integer()) return v->get<std::int64_t>();
  if (!v->is_string()) return input_error(std::string("\"") + camel + "\" must be an integer");
  const std::string s = v->get<std::string>();
  const std::string digits = !s.empty() && s[0] == '-' ? s.substr(1) : s;
  if (digits.empty() || digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return input_error(std::string("\"") + camel + "\" is not an int64");
  }
  return static_cast<std::int64_t>(std::stoll(s));
}

Result<Bytes> decode_bytes(std::string_view text) {
  std::string std_text;
  std_text.reserve(text.size());
  for (const char c : text) {
    if (c == '\r' || c == '\n') continue;  // Go's base64 decoder skips line ends (RFC 2045 line-wrapped text)
    std_text += c == '-' ? '+' : c == '_' ? '/' : c;
  }
  if (std_text.find_first_of(" \t") != std::string::npos) return input_error("bytes field is not base64");
  while (std_text.size() % 4 != 0) std_text += '=';
  auto out = base64_decode(std_text);
  if (!out) return input_error("bytes field is not base64");
  return std::move(*out);
}

Result<Bytes> bytes_field(const nlohmann::json& obj, const char* camel, bool required) {
  TRY(const std::string s, string_field(obj, camel, required));
  if (s.empty()) {
    if (required) return input_error(std::string("\"") + camel + "\" is empty");
    return Bytes{};
  }
  auto b = decode_bytes(s);
  if (!b) return input_error(std::string("\"") + camel + "\" is not base64");
  return std::move(*b);
}

}  // namespace chartprov::sigstore::protojson
