#include "chart/plugin_yaml.hpp"

#include "chart/chart_yaml.hpp"
#include "chart/semver.hpp"
#include "yaml/yaml_tree.hpp"

namespace chartprov::chart {
namespace {

using yaml::parse_yaml_document;
using yaml::yaml11_plain_is_not_string;
using yaml::YamlNode;

Result<std::string> required_string(const YamlNode& map, std::string_view key) {
  for (std::size_t i = 0; i + 1 < map.children.size(); i += 2) {
    if (map.children[i].value != key) continue;
    const YamlNode& v = map.children[i + 1];
    if (v.kind != YamlNode::Kind::kScalar || v.value.empty() ||
        (v.is_plain_scalar() && yaml11_plain_is_not_string(v.value))) {
      return input_error("plugin.yaml line " + std::to_string(v.line) + ": " + std::string(key) +
                         " must be a non-empty string");
    }
    return v.value;
  }
  return input_error("plugin.yaml has no " + std::string(key));
}

}  // namespace

Result<ChartMetadata> parse_plugin_yaml(std::string_view text) {
  TRY(const YamlNode doc, parse_yaml_document(text, "plugin.yaml"));
  if (doc.kind != YamlNode::Kind::kMapping) return input_error("plugin.yaml is not a mapping");
  ChartMetadata md;
  TRY(md.name, required_string(doc, "name"));
  TRY(md.version, required_string(doc, "version"));
  TRY_STATUS(validate_chart_name(md.name));
  if (!is_valid_semver(md.version)) return input_error("plugin.yaml: version \"" + md.version + "\" is not SemVer 2");
  md.type = "plugin";
  return md;
}

}  // namespace chartprov::chart
