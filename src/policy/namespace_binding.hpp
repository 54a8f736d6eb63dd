#pragma once
// Where a deployment's environment comes from when the caller may not choose
// it (issue 15: the admission webhook judges a release by its namespace, and
// whoever can create a release Secret must not pick a laxer environment).
// policy.yaml binds namespaces to environments, first match wins:
//
//   namespaces:
//     - namespace: "prod-*"        # a glob over namespace names (util/glob.hpp)
//       environment: production    # a section of environments:
//     - namespace: "*"
//       environment: staging
//
// A namespace that no binding matches has no environment: the caller denies.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"
#include "yaml/yaml_tree.hpp"

namespace chartprov::policy {

struct NamespaceBinding {
  std::string pattern;      // glob over Kubernetes namespace names
  std::string environment;  // an environment the policy names
  int line = 0;             // where the binding is in the file (for reasons)
};

inline constexpr std::size_t kMaxNamespaceBindings = 256;

// Reads the value of `namespaces:` in `source` (errors are "source:LINE: ...").
// `environments` are the names of the policy's sections. Refused: a value
// that is not a list; more than kMaxNamespaceBindings entries; an entry that
// is not a mapping of exactly `namespace` and `environment` (an unknown key,
// a missing or empty one); a pattern that is not a glob (check_glob) or holds
// a byte no namespace name can (namespace names are lower-case letters,
// digits and '-'); the same pattern twice; an entry after a "*" (it could
// never match); an environment that is "*" or not one of `environments`
// (exactly, case included).
[[nodiscard]] Result<std::vector<NamespaceBinding>> parse_namespace_bindings(
    const yaml::YamlNode& node, std::string_view source, const std::vector<std::string>& environments);

// The environment the first binding whose pattern matches `ns` names, or
// nothing when none does (or `ns` is empty).
[[nodiscard]] std::optional<std::string> environment_for_namespace(const std::vector<NamespaceBinding>& bindings,
                                                                   std::string_view ns);

}  // namespace chartprov::policy
