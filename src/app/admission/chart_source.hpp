#pragma once
// Where an admission webhook's verified charts come from (issue 15): a
// directory of signed charts (a `chartprov mirror` output, or any directory
// of CHART.tgz files with their envelopes beside them), read as it is; or a
// chart repository URL, mirrored (app/repo/mirror.hpp: only what verifies is
// kept) into a private directory each time the stores are built. Nothing
// here prints.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "app/repo/verify_repo.hpp"
#include "util/result.hpp"
#include "util/temp_dir.hpp"

namespace chartprov::app {

struct ChartSource {
  std::string text;                 // as configured
  std::filesystem::path directory;  // a directory source
  std::string url;                  // a repository source: http(s)://HOST/PATH[/index.yaml]
  bool remote() const { return !url.empty(); }
};

// "http://..." or "https://...": a chart repository; anything else: a
// directory. Refused: "" ; an oci:// reference (an OCI registry source is
// not built: mirror the registry with `chartprov mirror` into a directory);
// a directory source that is not a directory.
[[nodiscard]] Result<ChartSource> parse_chart_source(std::string_view text);

// The directories the stores are read from, one per source in order, and the
// private directories that hold the mirrored ones (removed when this goes).
struct MaterializedSources {
  std::vector<std::filesystem::path> directories;
  std::vector<TempDir> mirrors;
};

// Directory sources as they are; each repository source mirrored with
// `trust` (its charts verified as `verify` would, before any policy) into a
// fresh private directory below `work` (the system's temporary directory
// when empty). Errors: mirror_repo's, with the source named (an index that
// cannot be fetched or read); a private directory that cannot be made. A
// chart the mirror quarantines is simply not there.
[[nodiscard]] Result<MaterializedSources> materialize_sources(const std::vector<ChartSource>& sources,
                                                              const RepoTrustOptions& trust,
                                                              const std::filesystem::path& work);

}  // namespace chartprov::app
