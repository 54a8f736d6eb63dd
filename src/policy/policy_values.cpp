#include "policy/policy_values.hpp"

namespace chartprov::policy {

using yaml::YamlNode;

Result<std::string> scalar(const LineErrors& err, const YamlNode& node, std::string_view what) {
  if (node.kind != YamlNode::Kind::kScalar) return err.at(node, std::string(what) + " must be a single value");
  if (node.value.empty()) return err.at(node, std::string(what) + " is empty");
  return node.value;
}

Result<std::vector<std::string>> string_list(const LineErrors& err, const YamlNode& node, std::string_view what) {
  std::vector<std::string> out;
  if (node.kind == YamlNode::Kind::kScalar) {
    TRY(std::string v, scalar(err, node, what));
    out.push_back(std::move(v));
    return out;
  }
  if (node.kind != YamlNode::Kind::kSequence)
    return err.at(node, std::string(what) + " must be a value or a list of values");
  if (node.children.empty()) return err.at(node, std::string(what) + " is an empty list");
  if (node.children.size() > kMaxListItems) return err.at(node, std::string(what) + " has too many items");
  for (const auto& item : node.children) {
    TRY(std::string v, scalar(err, item, what));
    out.push_back(std::move(v));
  }
  return out;
}

Result<bool> boolean(const LineErrors& err, const YamlNode& node, std::string_view what) {
  if (node.is_plain_scalar() && (node.value == "true" || node.value == "false")) return node.value == "true";
  return err.at(node, std::string(what) + " must be true or false");
}

}  // namespace chartprov::policy
