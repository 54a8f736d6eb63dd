#pragma once
// The value shapes policy.yaml uses, each refusal with the file's line
// (line_errors.hpp). Internal to the policy layer.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "policy/line_errors.hpp"
#include "util/result.hpp"
#include "yaml/yaml_tree.hpp"

namespace chartprov::policy {

inline constexpr std::size_t kMaxListItems = 256;

// One non-empty value. Refused: "WHAT must be a single value", "WHAT is empty".
[[nodiscard]] Result<std::string> scalar(const LineErrors& err, const yaml::YamlNode& node, std::string_view what);

// A value or a list of values. Refused: scalar's refusals for each item;
// "WHAT must be a value or a list of values", "WHAT is an empty list",
// "WHAT has too many items" (more than kMaxListItems).
[[nodiscard]] Result<std::vector<std::string>> string_list(const LineErrors& err, const yaml::YamlNode& node,
                                                           std::string_view what);

// true or false, plain. Refused: "WHAT must be true or false".
[[nodiscard]] Result<bool> boolean(const LineErrors& err, const yaml::YamlNode& node, std::string_view what);

}  // namespace chartprov::policy
