#pragma once
// A Helm 4 plugin's plugin.yaml: only what provenance checks need. Plugin
// tarballs are signed in the same .prov format as charts (helm plugin
// package --sign), so verify reads them too.
#include <string_view>

#include "chart/metadata.hpp"
#include "util/result.hpp"

namespace chartprov::chart {

// name and version (strict SemVer) are required strings; duplicate keys are
// refused. Returns them as ChartMetadata (other fields empty).
Result<ChartMetadata> parse_plugin_yaml(std::string_view text);

}  // namespace chartprov::chart
