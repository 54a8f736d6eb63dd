#pragma once
// The chart.values Helm stores for a chart with dependencies: at install,
// chartutil.ProcessDependencies replaces the chart's values with
// MergeValues(chart) (helm pkg/chart/common/util/dependencies.go,
// coalesce.go; FORMAT.md §5): the chart's values.yaml, then each enabled
// subchart's defaults coalesced under its name (the chart's own settings win),
// with a "global" table carried down from the parent, recursively. A chart
// that declares no dependencies keeps values.yaml as it is.
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "release/verified_chart.hpp"
#include "util/result.hpp"

namespace chartprov::release {

// `enabled` names the top-level subcharts Helm kept (the record's
// metadata.dependencies, aliases applied) in addition to vendored subcharts
// that Chart.yaml does not declare, which Helm always keeps; nested
// subcharts are all taken as enabled. Refused, as Helm refuses it: a value
// under a subchart's name that is not a table.
[[nodiscard]] Result<nlohmann::json> merged_chart_values(const VerifiedChart& chart,
                                                         const std::set<std::string>& enabled);

}  // namespace chartprov::release
