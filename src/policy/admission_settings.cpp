#include "policy/admission_settings.hpp"

#include <string>

namespace chartprov::policy {
namespace {

using yaml::YamlNode;

Result<std::string> value_of(const YamlNode& node, const LineErrors& err, const std::string& key) {
  if (node.kind != YamlNode::Kind::kScalar || node.value.empty()) {
    return err.at(node, key + " must be a single, non-empty value");
  }
  return node.value;
}

}  // namespace

std::string_view manifest_check_name(ManifestCheck check) {
  return check == ManifestCheck::required ? "required" : "chart-only";
}

std::string_view unreproducible_name(UnreproducibleRendering handling) {
  return handling == UnreproducibleRendering::deny ? "deny" : "chart-only";
}

Result<AdmissionSettings> parse_admission_settings(const YamlNode& node, const LineErrors& err,
                                                   std::string_view environment) {
  if (node.kind != YamlNode::Kind::kMapping) {
    return err.at(node, "admission must be a mapping (manifest:, unreproducible:)");
  }
  AdmissionSettings s;
  s.line = node.line;
  const YamlNode* unreproducible = nullptr;
  for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
    const YamlNode& key = node.children[i];
    const YamlNode& value = node.children[i + 1];
    if (key.value == "manifest") {
      TRY(const std::string v, value_of(value, err, key.value));
      if (v == "required") {
        s.manifest = ManifestCheck::required;
      } else if (v == "chart-only") {
        s.manifest = ManifestCheck::chart_only;
      } else {
        return err.at(value, "admission manifest \"" + v + "\" is not one of required, chart-only");
      }
    } else if (key.value == "unreproducible") {
      TRY(const std::string v, value_of(value, err, key.value));
      if (v == "deny") {
        s.unreproducible = UnreproducibleRendering::deny;
      } else if (v == "chart-only") {
        s.unreproducible = UnreproducibleRendering::chart_only;
      } else {
        return err.at(value, "admission unreproducible \"" + v + "\" is not one of deny, chart-only");
      }
      unreproducible = &value;
    } else {
      return err.at(key, "unknown key \"" + key.value + "\" in admission of environment " + std::string(environment) +
                             " (expected manifest, unreproducible)");
    }
  }
  if (s.manifest == ManifestCheck::chart_only && s.unreproducible == UnreproducibleRendering::chart_only) {
    return err.at(*unreproducible,
                  "admission unreproducible: chart-only applies only with manifest: required (chart-only renders "
                  "nothing)");
  }
  if (environment == "*" &&
      (s.manifest == ManifestCheck::chart_only || s.unreproducible == UnreproducibleRendering::chart_only)) {
    return err.at(node, "the \"*\" environment cannot weaken the admission checks: chart-only is granted by name only");
  }
  return s;
}

}  // namespace chartprov::policy
