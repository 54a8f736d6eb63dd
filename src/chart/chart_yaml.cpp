#include "chart/chart_yaml.hpp"

#include <algorithm>
#include <initializer_list>
#include <set>

#include "chart/semver.hpp"
#include "infra/archive/tar_format.hpp"
#include "util/go_yaml_text.hpp"
#include "yaml/yaml_tree.hpp"

namespace chartprov::chart {
namespace {

using yaml::parse_yaml_document;
using yaml::yaml11_plain_is_not_string;
using yaml::YamlNode;

using Kind = YamlNode::Kind;
using archive::quote_name;

std::string at_line(int line) { return line > 0 ? " (line " + std::to_string(line) + ")" : ""; }

Error field_error(std::string_view field, const std::string& why, int line) {
  return input_error("Chart.yaml: " + std::string(field) + ": " + why + at_line(line));
}

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::kNull: return "null";
    case Kind::kScalar: return "a string";
    case Kind::kSequence: return "a list";
    case Kind::kMapping: return "a mapping";
  }
  return "?";
}

// Go decodes Chart.yaml through encoding/json, which matches field names under
// Unicode case folding: "Name:", and "version:" spelt with U+017F (long s), are read as the
// field. Only the exact spelling is read here, so any other is refused.
Status check_key_case(const YamlNode& map, std::initializer_list<std::string_view> fields, std::string_view where) {
  for (std::size_t i = 0; i < map.children.size(); i += 2) {
    const std::string& key = map.children[i].value;
    for (const std::string_view f : fields) {
      if (key != f && go_json_key_matches(key, f)) {
        return field_error(where,
                           "key " + quote_name(key) + " differs from '" + std::string(f) +
                               "' only in case (Helm would read it as '" + std::string(f) + "')",
                           map.children[i].line);
      }
    }
  }
  return ok_status();
}

Result<std::string> get_string(const YamlNode& v, std::string_view field) {
  if (v.kind == Kind::kNull) return std::string();
  if (v.kind != Kind::kScalar)
    return field_error(field, std::string("must be a string, found ") + kind_name(v.kind), v.line);
  return v.value;
}

// apiVersion, name, version: one meaning for every parser.
Result<std::string> get_identity(const YamlNode& v, std::string_view field) {
  TRY(std::string s, get_string(v, field));
  if (v.kind != Kind::kScalar) return s;
  if (v.tag != "?" && v.tag != "!" && v.tag != "tag:yaml.org,2002:str") {
    return field_error(field, "must be a string, found the tag " + quote_name(v.tag), v.line);
  }
  if (v.is_plain_scalar() && yaml11_plain_is_not_string(v.value)) {
    return field_error(field, quote_name(v.value) + " is a number, bool or null to Helm's YAML parser; quote it",
                       v.line);
  }
  return s;
}

Result<bool> get_bool(const YamlNode& v, std::string_view field) {
  if (v.kind == Kind::kNull) return false;
  if (v.kind == Kind::kScalar && v.tag == "?") {
    if (v.value == "true" || v.value == "True" || v.value == "TRUE") return true;
    if (v.value == "false" || v.value == "False" || v.value == "FALSE") return false;
  }
  return field_error(field, "must be true or false", v.line);
}

Result<std::vector<std::string>> get_string_list(const YamlNode& v, std::string_view field) {
  std::vector<std::string> out;
  if (v.kind == Kind::kNull) return out;
  if (v.kind != Kind::kSequence)
    return field_error(field, std::string("must be a list, found ") + kind_name(v.kind), v.line);
  for (const YamlNode& item : v.children) {
    TRY(std::string s, get_string(item, field));
    out.push_back(std::move(s));
  }
  return out;
}

Status expect_mapping(const YamlNode& v, std::string_view field) {
  if (v.kind != Kind::kMapping) {
    return field_error(field,
                       std::string("entries must be mappings, found ") + kind_name(v.kind) +
                           (v.kind == Kind::kNull ? " (empty or null entries are not allowed)" : ""),
                       v.line);
  }
  return ok_status();
}

Result<Maintainer> get_maintainer(const YamlNode& v) {
  TRY_STATUS(expect_mapping(v, "maintainers"));
  TRY_STATUS(check_key_case(v, {"name", "email", "url"}, "maintainers"));
  Maintainer m;
  for (std::size_t i = 0; i < v.children.size(); i += 2) {
    const std::string& key = v.children[i].value;
    const YamlNode& val = v.children[i + 1];
    if (key == "name") {
      TRY(m.name, get_string(val, "maintainers.name"));
    } else if (key == "email") {
      TRY(m.email, get_string(val, "maintainers.email"));
    } else if (key == "url") {
      TRY(m.url, get_string(val, "maintainers.url"));
    }
  }
  return m;
}

Result<ImportValue> get_import_value(const YamlNode& v) {
  constexpr std::string_view kField = "dependencies.import-values";
  ImportValue iv;
  if (v.kind == Kind::kScalar) {
    iv.value = v.value;
    return iv;
  }
  if (v.kind != Kind::kMapping)
    return field_error(kField, "entries must be strings or {child, parent} mappings", v.line);
  iv.is_mapping = true;
  for (std::size_t i = 0; i < v.children.size(); i += 2) {
    const std::string& key = v.children[i].value;
    if (key == "child") {
      TRY(iv.child, get_string(v.children[i + 1], kField));
    } else if (key == "parent") {
      TRY(iv.parent, get_string(v.children[i + 1], kField));
    } else {
      return field_error(kField, "unexpected key " + quote_name(key) + " (only child and parent)", v.children[i].line);
    }
  }
  return iv;
}

Result<Dependency> get_dependency(const YamlNode& v) {
  TRY_STATUS(expect_mapping(v, "dependencies"));
  TRY_STATUS(check_key_case(
      v, {"name", "version", "repository", "condition", "tags", "enabled", "import-values", "alias"}, "dependencies"));
  Dependency d;
  for (std::size_t i = 0; i < v.children.size(); i += 2) {
    const std::string& key = v.children[i].value;
    const YamlNode& val = v.children[i + 1];
    if (key == "name") {
      TRY(d.name, get_string(val, "dependencies.name"));
    } else if (key == "version") {
      TRY(d.version, get_string(val, "dependencies.version"));
    } else if (key == "repository") {
      TRY(d.repository, get_string(val, "dependencies.repository"));
    } else if (key == "condition") {
      TRY(d.condition, get_string(val, "dependencies.condition"));
    } else if (key == "alias") {
      TRY(d.alias, get_string(val, "dependencies.alias"));
    } else if (key == "tags") {
      TRY(d.tags, get_string_list(val, "dependencies.tags"));
    } else if (key == "enabled") {
      TRY(d.enabled, get_bool(val, "dependencies.enabled"));
    } else if (key == "import-values") {
      if (val.kind == Kind::kNull) continue;
      if (val.kind != Kind::kSequence) return field_error("dependencies.import-values", "must be a list", val.line);
      for (const YamlNode& item : val.children) {
        TRY(ImportValue iv, get_import_value(item));
        d.import_values.push_back(std::move(iv));
      }
    }
  }
  return d;
}

bool alias_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

Status validate(const ChartMetadata& md, const YamlNode& root) {
  auto line_of = [&root](std::string_view key) {
    for (std::size_t i = 0; i < root.children.size(); i += 2) {
      if (root.children[i].value == key) return root.children[i + 1].line;
    }
    return 0;
  };
  if (md.api_version.empty()) return field_error("apiVersion", "is required (v1 or v2)", 0);
  if (md.api_version == "v3") {
    return field_error("apiVersion", "v3 charts are not supported (only v1 and v2)", line_of("apiVersion"));
  }
  if (md.api_version != "v1" && md.api_version != "v2") {
    return field_error("apiVersion", quote_name(md.api_version) + " is not valid (must be v1 or v2)",
                       line_of("apiVersion"));
  }
  if (md.name.empty()) return field_error("name", "is required", line_of("name"));
  if (const Status s = validate_chart_name(md.name); !s.ok()) {
    return field_error("name", s.error().message, line_of("name"));
  }
  if (md.version.empty()) return field_error("version", "is required", line_of("version"));
  if (const auto why = semver_error(md.version)) {
    return field_error("version", quote_name(md.version) + " is not SemVer 2.0.0: " + *why, line_of("version"));
  }
  if (!md.type.empty() && md.type != "application" && md.type != "library") {
    return field_error("type", quote_name(md.type) + " is not valid (application or library)", line_of("type"));
  }
  std::set<std::string> dep_keys;
  for (const Dependency& d : md.dependencies) {
    if (!d.alias.empty() && !std::all_of(d.alias.begin(), d.alias.end(), alias_char)) {
      return field_error(
          "dependencies",
          "alias " + quote_name(d.alias) + " of " + quote_name(d.name) + " has characters outside [A-Za-z0-9_-]",
          line_of("dependencies"));
    }
    const std::string& key = d.alias.empty() ? d.name : d.alias;
    if (!dep_keys.insert(key).second) {
      return field_error("dependencies", "more than one dependency with name or alias " + quote_name(key),
                         line_of("dependencies"));
    }
  }
  return ok_status();
}

}  // namespace

Status validate_chart_name(std::string_view name) {
  if (name.empty()) return input_error("chart name is empty");
  if (name == "." || name == "..") return input_error("chart name " + quote_name(name) + " is not allowed");
  for (const char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) {
      return input_error("chart name " + quote_name(name) + " may contain only letters, digits, '.', '_' and '-'");
    }
  }
  return ok_status();
}

Result<ChartMetadata> parse_chart_yaml(std::string_view text) {
  if (text.size() > kMaxChartYamlSize) {
    return input_error("Chart.yaml is " + std::to_string(text.size()) + " bytes (limit " +
                       std::to_string(kMaxChartYamlSize) + ")");
  }
  TRY(const YamlNode root, parse_yaml_document(text, "Chart.yaml"));
  if (root.kind != Kind::kMapping) {
    return input_error(std::string("Chart.yaml: must be a YAML mapping, found ") + kind_name(root.kind) +
                       at_line(root.line));
  }
  TRY_STATUS(check_key_case(
      root,
      {"apiVersion", "name", "version", "appVersion", "description", "home", "icon", "kubeVersion", "condition", "tags",
       "type", "deprecated", "keywords", "sources", "maintainers", "annotations", "dependencies"},
      "(top level)"));
  ChartMetadata md;
  for (std::size_t i = 0; i < root.children.size(); i += 2) {
    const std::string& key = root.children[i].value;
    const YamlNode& v = root.children[i + 1];
    if (key == "apiVersion") {
      TRY(md.api_version, get_identity(v, key));
    } else if (key == "name") {
      TRY(md.name, get_identity(v, key));
    } else if (key == "version") {
      TRY(md.version, get_identity(v, key));
    } else if (key == "appVersion") {
      TRY(md.app_version, get_string(v, key));
    } else if (key == "description") {
      TRY(md.description, get_string(v, key));
    } else if (key == "home") {
      TRY(md.home, get_string(v, key));
    } else if (key == "icon") {
      TRY(md.icon, get_string(v, key));
    } else if (key == "kubeVersion") {
      TRY(md.kube_version, get_string(v, key));
    } else if (key == "condition") {
      TRY(md.condition, get_string(v, key));
    } else if (key == "tags") {
      TRY(md.tags, get_string(v, key));
    } else if (key == "type") {
      TRY(md.type, get_string(v, key));
    } else if (key == "deprecated") {
      TRY(md.deprecated, get_bool(v, key));
    } else if (key == "keywords") {
      TRY(md.keywords, get_string_list(v, key));
    } else if (key == "sources") {
      TRY(md.sources, get_string_list(v, key));
    } else if (key == "maintainers" || key == "dependencies") {
      if (v.kind == Kind::kNull) continue;
      if (v.kind != Kind::kSequence)
        return field_error(key, std::string("must be a list, found ") + kind_name(v.kind), v.line);
      for (const YamlNode& item : v.children) {
        if (key == "maintainers") {
          TRY(Maintainer m, get_maintainer(item));
          md.maintainers.push_back(std::move(m));
        } else {
          TRY(Dependency d, get_dependency(item));
          md.dependencies.push_back(std::move(d));
        }
      }
    } else if (key == "annotations") {
      if (v.kind == Kind::kNull) continue;
      if (v.kind != Kind::kMapping)
        return field_error(key, std::string("must be a mapping, found ") + kind_name(v.kind), v.line);
      for (std::size_t j = 0; j < v.children.size(); j += 2) {
        TRY(std::string value, get_string(v.children[j + 1], "annotations." + v.children[j].value));
        md.annotations.emplace_back(v.children[j].value, std::move(value));
      }
    }
  }
  TRY_STATUS(validate(md, root));
  return md;
}

}  // namespace chartprov::chart
