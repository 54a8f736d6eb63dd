#pragma once
// Chart.yaml: parsed with yaml-cpp and validated like Helm's loader
// (helm pkg/chart/v2/metadata.go Validate), but stricter where Helm is lax:
//  - apiVersion must be v1 or v2 (v3 is refused with its own message);
//  - name must match [A-Za-z0-9._-]+ (helm create's rule) and not be "." or "..";
//  - version must be strict SemVer 2.0.0 (see semver.hpp);
//  - type, if present, application or library;
//  - text that helm's YAML parser splits into the same characters and lines
//    (no U+0085, U+2028, U+2029, lone CR, inner BOM, control characters or
//    bytes that are not UTF-8);
//  - one YAML document, a mapping, no duplicate keys at any depth, no tagged
//    keys, no keys that differ from a known field only under Go's case
//    folding ("Name", or "version" spelt with U+017F for the s: Go's JSON
//    decoding would take them as that field), no aliases or merge keys,
//    nesting at most 128 levels;
//  - apiVersion, name and version must be strings to every YAML parser: a
//    plain scalar such as 1.10 or yes is refused (Go reads it as a number or
//    a bool); quote it.
// Errors name the field and, where known, the line. docs/CHART-YAML.md lists
// how helm reads Chart.yaml, rule by rule, and where chartprov refuses.
#include <cstddef>
#include <string_view>

#include "chart/metadata.hpp"
#include "util/result.hpp"

namespace chartprov::chart {

inline constexpr std::size_t kMaxChartYamlSize = 1 << 20;

Result<ChartMetadata> parse_chart_yaml(std::string_view text);

// The chart name rules alone (used for directory names too).
Status validate_chart_name(std::string_view name);

}  // namespace chartprov::chart
