#pragma once
// The release JSON that Helm stores in a record (helm pkg/release/v1
// release.go, info.go; pkg/chart/v2 chart.go, file.go; FORMAT.md §4-5), read
// as Go's encoding/json reads it into Helm's structs: unknown fields are
// ignored, modtime/schemamodtime are not read (they differ between a .tgz
// and its directory), but a key that Go would match to a field only through
// case folding ("Chart", "ver<U+017F>ion") is refused: Helm would read it
// and a byte-for-byte reader would not.
//
// read_release refuses, each with one fixed message naming the field: a
// field of the wrong JSON type; no name, no version, no chart, or a chart
// without metadata; a template or file without a name, or whose data is not
// base64; a schema that is not base64; hooks that are not an array of
// objects, or a hook path or manifest that is not a string.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::release {

struct RecordFile {
  std::string name;  // "templates/deployment.yaml", "README.md"
  Bytes data;
};

// release.chart: what Helm's loader made of the chart (subcharts are not in it).
struct RecordChart {
  nlohmann::json metadata;  // object, as stored
  nlohmann::json lock;      // object, or null without Chart.lock
  std::vector<RecordFile> templates;
  std::vector<RecordFile> files;
  nlohmann::json values;        // object (null is read as {})
  std::optional<Bytes> schema;  // values.schema.json bytes
};

// One entry of release.hooks: where Helm rendered it from and what it rendered.
struct RecordHook {
  std::string path;      // "<chart>/templates/tests/x.yaml" ("" when absent)
  std::string manifest;  // the hook's document, as stored
};

struct Release {
  std::string name;
  std::string namespace_name;
  std::int64_t version = 0;  // the revision
  std::string status;        // info.status ("pending-install", "deployed", ...)
  RecordChart chart;
  nlohmann::json config;  // the user's values: object (absent or null is {})
  std::string manifest;
  std::vector<RecordHook> hooks;  // in the record's order (null entries skipped)
};

[[nodiscard]] Result<Release> read_release(const nlohmann::json& release);

}  // namespace chartprov::release
