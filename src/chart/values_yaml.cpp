#include "chart/values_yaml.hpp"

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "yaml/yaml_tree.hpp"

namespace chartprov::chart {
namespace {

using yaml::parse_yaml_document_or_empty;
using yaml::YamlNode;

constexpr std::string_view kStrTag = "tag:yaml.org,2002:str";
constexpr std::string_view kWhat = "values.yaml";

bool one_of(std::string_view v, std::initializer_list<std::string_view> list) {
  for (const std::string_view s : list) {
    if (v == s) return true;
  }
  return false;
}

std::string at_line(int line) { return line > 0 ? " (line " + std::to_string(line) + ")" : ""; }

// go-yaml v2 resolve(): strconv.ParseInt(plain, 0, 64) after removing '_'.
bool parse_go_int(std::string_view s, nlohmann::json& out) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) {
    base = 8;
    s.remove_prefix(2);
  } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
    base = 2;
    s.remove_prefix(2);
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8;
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  std::uint64_t magnitude = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), magnitude, base);
  if (ec != std::errc() || end != s.data() + s.size()) return false;
  if (negative) {
    if (magnitude > (std::uint64_t{1} << 63)) return false;
    out = magnitude == (std::uint64_t{1} << 63) ? INT64_MIN : -static_cast<std::int64_t>(magnitude);
    return true;
  }
  if (magnitude > static_cast<std::uint64_t>(INT64_MAX)) {
    out = magnitude;  // ParseUint
    return true;
  }
  out = static_cast<std::int64_t>(magnitude);
  return true;
}

// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ (go-yaml v2 yamlStyleFloat)
bool yaml_style_float(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  } else {
    if (!digits()) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

Result<nlohmann::json> plain_scalar(const std::string& v, int line) {
  if (one_of(v, {"", "~", "null", "Null", "NULL"})) return nlohmann::json(nullptr);
  if (one_of(v, {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) return nlohmann::json(true);
  if (one_of(v, {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})) {
    return nlohmann::json(false);
  }
  std::string_view unsigned_v = v;
  if (!unsigned_v.empty() && (unsigned_v[0] == '+' || unsigned_v[0] == '-')) unsigned_v.remove_prefix(1);
  if (one_of(unsigned_v, {".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"})) {
    return input_error(std::string(kWhat) + ": infinity and NaN cannot be stored in a release" + at_line(line));
  }
  std::string plain;
  plain.reserve(v.size());
  for (const char c : v) {
    if (c != '_') plain += c;
  }
  nlohmann::json number;
  if (parse_go_int(plain, number)) return number;
  if (yaml_style_float(plain)) {
    char* end = nullptr;
    const double d = std::strtod(plain.c_str(), &end);
    if (end == plain.c_str() + plain.size()) return nlohmann::json(d);
  }
  return nlohmann::json(v);
}

std::string key_text(const YamlNode& key) {
  if (key.is_plain_scalar()) {
    if (one_of(key.value, {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) return "true";
    if (one_of(key.value, {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})) {
      return "false";
    }
  }
  return key.value;
}

Result<nlohmann::json> to_json(const YamlNode& node);

Result<nlohmann::json> mapping(const YamlNode& node) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
    const std::string key = key_text(node.children[i]);
    if (out.contains(key)) {
      return input_error(std::string(kWhat) + ": two keys read as '" + key + "'" + at_line(node.children[i].line));
    }
    TRY(out[key], to_json(node.children[i + 1]));
  }
  return out;
}

Result<nlohmann::json> to_json(const YamlNode& node) {
  const bool default_tag = node.tag.empty() || node.tag == "?" || node.tag == "!";
  switch (node.kind) {
    case YamlNode::Kind::kNull: return nlohmann::json(nullptr);
    case YamlNode::Kind::kScalar:
      if (node.tag == "!" || node.tag == kStrTag) return nlohmann::json(node.value);
      if (node.tag == "?") return plain_scalar(node.value, node.line);
      break;
    case YamlNode::Kind::kSequence: {
      if (!default_tag) break;
      nlohmann::json out = nlohmann::json::array();
      for (const YamlNode& child : node.children) {
        TRY(nlohmann::json item, to_json(child));
        out.push_back(std::move(item));
      }
      return out;
    }
    case YamlNode::Kind::kMapping:
      if (!default_tag) break;
      return mapping(node);
  }
  return input_error(std::string(kWhat) + ": the tag '" + node.tag + "' is not supported" + at_line(node.line));
}

}  // namespace

Result<nlohmann::json> parse_values_yaml(std::string_view text) {
  TRY(const YamlNode root, parse_yaml_document_or_empty(text, kWhat));
  if (root.kind == YamlNode::Kind::kNull) return nlohmann::json::object();
  if (root.kind == YamlNode::Kind::kScalar && root.is_plain_scalar() &&
      one_of(root.value, {"", "~", "null", "Null", "NULL"})) {
    return nlohmann::json::object();
  }
  if (root.kind != YamlNode::Kind::kMapping) return input_error(std::string(kWhat) + ": the document is not a mapping");
  return to_json(root);
}

}  // namespace chartprov::chart
