#pragma once
// What the admission webhook requires of a release in an environment
// (issue 15, docs/ADMISSION.md "The manifest check"), read from the
// environment's `admission:` section of policy.yaml:
//
//   environments:
//     production:
//       mode: enforce
//       admission:
//         manifest: required        # required (default) | chart-only
//         unreproducible: deny      # deny (default) | chart-only
//
// manifest: required means a release is admitted only when its manifest and
// hooks are exactly the verified chart rendered with the release's values,
// name and namespace; chart-only admits on the chart object alone, so a
// chart with vendored subcharts (which only the manifest shows) is never
// admitted. unreproducible says what a chart whose rendering cannot be
// reproduced (lookup, random or clock functions, the revision, two renderings
// that differ) gets when its manifest differs: deny, or the chart-object
// check alone. Absent, both take the safe value in every mode.
#include <string_view>

#include "policy/line_errors.hpp"
#include "util/result.hpp"
#include "yaml/yaml_tree.hpp"

namespace chartprov::policy {

enum class ManifestCheck { required, chart_only };
enum class UnreproducibleRendering { deny, chart_only };

std::string_view manifest_check_name(ManifestCheck check);               // "required", "chart-only"
std::string_view unreproducible_name(UnreproducibleRendering handling);  // "deny", "chart-only"

struct AdmissionSettings {
  ManifestCheck manifest = ManifestCheck::required;
  UnreproducibleRendering unreproducible = UnreproducibleRendering::deny;
  int line = 0;  // where `admission:` is (0: absent)
};

// Reads the value of `admission:` in environment `environment` (errors are
// "SOURCE:LINE: ..."). Refused: a value that is not a mapping; an unknown
// key (expected manifest, unreproducible); a manifest value other than
// required or chart-only; an unreproducible value other than deny or
// chart-only; unreproducible: chart-only with manifest: chart-only (nothing
// is rendered, so it would never apply); in the "*" section, any chart-only
// (a weaker check is granted by name only, like warn and off).
[[nodiscard]] Result<AdmissionSettings> parse_admission_settings(const yaml::YamlNode& node, const LineErrors& err,
                                                                 std::string_view environment);

}  // namespace chartprov::policy
