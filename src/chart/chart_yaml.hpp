#pragma once
// Chart.yaml: parsed with yaml-cpp and validated like Helm's loader
// (helm pkg/chart/v2/metadata.go Validate), but stricter where Helm is lax:
//  - apiVersion must be v1 or v2 (v3 is refused with its own message);
//  - name must match [A-Za-z0-9._-]+ (helm create's rule) and not be "." or "..";
//  - version must be strict SemVer 2.0.0 (see semver.hpp);
//  - type, if present, application or library;
//  - one YAML document, a mapping, no duplicate keys at any depth, no keys that
//    differ from a known field only in case (Go's JSON decoding would take
//    them as that field), no aliases or merge keys;
//  - apiVersion, name and version must be strings to every YAML parser: a
//    plain scalar such as 1.10 or yes is refused (Go reads it as a number or
//    a bool); quote it.
// Errors name the field and, where known, the line.
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
