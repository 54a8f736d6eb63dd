#pragma once
// Whether a release record's chart object is exactly a verified chart, as
// Helm's loader would have stored it (FORMAT.md §5):
//  - templates, files and values.schema.json byte for byte (modtime ignored);
//  - values as parsed data, with Helm's subchart merge reproduced
//    (values_merge.hpp);
//  - metadata as parsed data: the fields Helm's Metadata struct keeps,
//    empty ones omitted as Go's omitempty omits them; unknown keys ignored as
//    Helm ignores them, keys Helm would read through case folding refused;
//  - metadata.dependencies: each one declared in Chart.yaml (name or alias,
//    version, repository, condition, tags) and vendored under charts/;
//  - lock (Chart.lock) as parsed data: digest, generated, dependencies.
// Subcharts are not in a record, so a match says nothing about them: the
// manifest must be checked for a chart with subcharts (FORMAT.md §6.3).
#include <string>

#include "release/release_model.hpp"
#include "release/verified_chart.hpp"

namespace chartprov::release {

enum class ChartMismatch {
  kNone,
  kMetadataField,          // subject: the field
  kMetadataAmbiguousKey,   // subject: the key Helm reads as a field
  kDependencyUndeclared,   // subject: the dependency's name
  kDependencyNotVendored,  // subject: the dependency's name
  kLockPresence,           // a lock without Chart.lock, or none with it
  kLockField,              // subject: digest, generated or dependencies
  kTemplateMissing,        // subject: the template's name (same for the kinds below)
  kTemplateAdded,
  kTemplateDiffers,
  kTemplateDuplicate,
  kFileMissing,
  kFileAdded,
  kFileDiffers,
  kFileDuplicate,
  kSchemaDiffers,     // different bytes, or present on one side only
  kValuesDiffer,      // subject: the first differing key path
  kValuesUnmergeable  // the subchart merge refused the chart's values
};

struct ChartDifference {
  ChartMismatch mismatch = ChartMismatch::kNone;
  std::string subject;
};

// The first difference found (metadata, dependencies, lock, templates,
// files, schema, values, in that order), or kNone.
[[nodiscard]] ChartDifference compare_chart(const RecordChart& record, const VerifiedChart& verified);

// One fixed sentence per mismatch, naming its subject.
[[nodiscard]] std::string describe(const ChartDifference& difference);

}  // namespace chartprov::release
