#pragma once
// Lists the files `helm package` takes from a chart directory: a walk in
// Helm's order (each directory's names sorted byte-wise, depth first) with
// .helmignore applied, symlinks followed only inside the chart directory.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "chart/archive_reader.hpp"
#include "util/result.hpp"

namespace chartprov::chart {

struct SourceFile {
  std::string rel;             // relative to the chart directory, '/'-separated
  std::filesystem::path path;  // on disk, symlinks resolved
  bool executable = false;     // any execute bit set
  std::uint64_t size = 0;
};

// Limits used: max_file_size, max_entries, max_total_size, max_depth.
Result<std::vector<SourceFile>> walk_chart_dir(const std::filesystem::path& chart_dir, const ArchiveLimits& limits);

}  // namespace chartprov::chart
