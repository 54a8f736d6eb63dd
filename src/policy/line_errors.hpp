#pragma once
// The one form of a policy.yaml error: "SOURCE:LINE: message", the line of
// the node it is about. Internal to the policy layer.
#include <string>
#include <string_view>

#include "util/result.hpp"
#include "yaml/yaml_tree.hpp"

namespace chartprov::policy {

class LineErrors {
 public:
  explicit LineErrors(std::string_view source) : source_(source) {}
  Error at(const yaml::YamlNode& node, const std::string& message) const {
    return input_error(source_ + ":" + std::to_string(node.line) + ": " + message);
  }

 private:
  std::string source_;
};

}  // namespace chartprov::policy
