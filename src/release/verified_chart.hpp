#pragma once
// A chart that verified, read the way Helm's loader reads it into the
// objects a release record stores (helm pkg/chart/v2/loader/load.go
// LoadFiles; FORMAT.md §5): Chart.yaml -> metadata, Chart.lock -> lock,
// values.yaml -> values, values.schema.json -> schema, templates/** ->
// templates, charts/<name>/** and charts/<name>.tgz -> subcharts (not stored
// in a record), everything else (and charts/*.prov) -> files. Subchart
// groups whose name starts with '_' or '.' are skipped, as Helm skips them.
//
// load_verified_chart refuses, with a message naming the file: an invalid
// Chart.yaml (chart/chart_yaml.hpp), Chart.lock or values.yaml
// (chart/values_yaml.hpp); requirements.yaml or requirements.lock (apiVersion
// v1 dependencies: not reproduced); a dependency with import-values (the
// import is not reproduced); a subchart without Chart.yaml, a charts/*.tgz
// group of more than one file or an invalid one (chart/archive_reader.hpp);
// subcharts nested deeper than kMaxSubchartDepth.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "chart/archive_reader.hpp"
#include "chart/metadata.hpp"
#include "util/result.hpp"

namespace chartprov::release {

inline constexpr std::size_t kMaxSubchartDepth = 8;

struct VerifiedChart {
  chart::ChartMetadata metadata;
  nlohmann::json lock;    // Chart.lock parsed, null without one
  nlohmann::json values;  // values.yaml parsed ({} without one)
  std::optional<Bytes> schema;
  std::vector<chart::ChartFile> templates;
  std::vector<chart::ChartFile> files;
  std::vector<VerifiedChart> subcharts;  // vendored under charts/, named by their Chart.yaml
};

[[nodiscard]] Result<VerifiedChart> load_verified_chart(const chart::ChartContents& contents);

}  // namespace chartprov::release
