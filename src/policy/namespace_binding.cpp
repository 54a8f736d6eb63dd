#include "policy/namespace_binding.hpp"

#include <algorithm>

#include "policy/line_errors.hpp"
#include "util/glob.hpp"

namespace chartprov::policy {
namespace {

using yaml::YamlNode;

// A glob's literal bytes must be ones a namespace name can hold; the glob's own syntax passes.
bool fits_namespace_names(std::string_view pattern) {
  return std::all_of(pattern.begin(), pattern.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '*' || c == '?' || c == '[' ||
           c == ']' || c == '^';
  });
}

Result<NamespaceBinding> parse_binding(const YamlNode& entry, const LineErrors& err,
                                       const std::vector<std::string>& environments) {
  if (entry.kind != YamlNode::Kind::kMapping) {
    return err.at(entry, "a namespaces: entry is a mapping of namespace: and environment:");
  }
  NamespaceBinding b;
  b.line = entry.line;
  for (std::size_t i = 0; i + 1 < entry.children.size(); i += 2) {
    const YamlNode& key = entry.children[i];
    const YamlNode& value = entry.children[i + 1];
    std::string* field = nullptr;
    if (key.value == "namespace") {
      field = &b.pattern;
    } else if (key.value == "environment") {
      field = &b.environment;
    } else {
      return err.at(key, "unknown key \"" + key.value + "\" in namespaces: (expected namespace, environment)");
    }
    if (value.kind != YamlNode::Kind::kScalar || value.value.empty()) {
      return err.at(value, key.value + " must be a single, non-empty value");
    }
    *field = value.value;
  }
  if (b.pattern.empty()) return err.at(entry, "a namespaces: entry needs namespace:");
  if (b.environment.empty()) return err.at(entry, "a namespaces: entry needs environment:");
  if (!check_glob(b.pattern).ok() || !fits_namespace_names(b.pattern)) {
    return err.at(entry, "namespace \"" + b.pattern +
                             "\" is not a glob over namespace names (lower-case letters, digits, '-', and * ? [...])");
  }
  if (b.environment == "*") {
    return err.at(entry, "a namespace is bound to a named environment, not \"*\"");
  }
  if (std::find(environments.begin(), environments.end(), b.environment) == environments.end()) {
    return err.at(entry, "namespace \"" + b.pattern + "\" is bound to environment " + b.environment +
                             ", which environments: does not name");
  }
  return b;
}

}  // namespace

Result<std::vector<NamespaceBinding>> parse_namespace_bindings(const YamlNode& node, std::string_view source,
                                                               const std::vector<std::string>& environments) {
  const LineErrors err(source);
  if (node.kind != YamlNode::Kind::kSequence || node.children.empty()) {
    return err.at(node, "namespaces: must list namespace: / environment: bindings");
  }
  if (node.children.size() > kMaxNamespaceBindings) {
    return err.at(node, "more than " + std::to_string(kMaxNamespaceBindings) + " namespace bindings");
  }
  std::vector<NamespaceBinding> out;
  for (const YamlNode& entry : node.children) {
    TRY(NamespaceBinding b, parse_binding(entry, err, environments));
    for (const auto& earlier : out) {
      if (earlier.pattern == b.pattern) {
        return err.at(entry, "namespace \"" + b.pattern + "\" is bound twice");
      }
      if (earlier.pattern == "*") {
        return err.at(entry, "namespace \"" + b.pattern + "\" comes after \"*\", which matches every namespace first");
      }
    }
    out.push_back(std::move(b));
  }
  return out;
}

std::optional<std::string> environment_for_namespace(const std::vector<NamespaceBinding>& bindings,
                                                     std::string_view ns) {
  if (ns.empty()) return std::nullopt;
  for (const auto& b : bindings) {
    if (glob_match(b.pattern, ns)) return b.environment;
  }
  return std::nullopt;
}

}  // namespace chartprov::policy
