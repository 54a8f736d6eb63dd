#pragma once
// Where the rendered objects of a record say they came from. Helm heads
// every document of release.manifest with "# Source: <chart>/<template
// path>" and gives every hook a path of the same form, with subchart
// templates under "<chart>/charts/<subchart or alias>/templates/...". A path
// that is not a template of the verified chart or of one of its vendored
// subcharts means the release was rendered from a different chart tree (for
// example a subchart added after signing, which the chart object does not
// show: subcharts are not stored in a record). This check does not render:
// a template changed in place is seen only by the manifest rendering check.
#include <string>
#include <string_view>
#include <vector>

#include "release/release_model.hpp"
#include "release/verified_chart.hpp"

namespace chartprov::release {

// The first source path (from the manifest's "# Source: " lines, then the
// hooks' non-empty paths) that names no template of `verified`; empty when
// all do.
[[nodiscard]] std::string first_unknown_source(std::string_view manifest, const std::vector<RecordHook>& hooks,
                                               const VerifiedChart& verified);

}  // namespace chartprov::release
