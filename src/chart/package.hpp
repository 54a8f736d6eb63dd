#pragma once
// Packages a chart directory into the bytes of a .tgz with the layout of
// `helm package` (helm pkg/chart/v2/loader/directory.go, load.go,
// pkg/chart/v2/util/save.go):
//  - entries "<name>/<path>", files only (no directory entries), in Helm's
//    order: Chart.yaml, Chart.lock, values.yaml, values.schema.json, then
//    templates/ and the other files in walk order (each directory's names in
//    byte order, depth first), then each subchart under charts/ by name,
//    recursively in the same order;
//  - .helmignore honoured with Helm's semantics (helmignore.hpp), plus the
//    default "templates/.?*"; .helmignore itself is packaged unless ignored;
//  - under charts/: *.prov files are kept as files; names starting with '_'
//    or '.' are dropped (as Helm does); a directory is a subchart (its own
//    Chart.yaml is required and validated); a *.tgz subchart is validated
//    with the archive reader and packaged as the file it is (Helm would
//    unpack it into a directory: a deliberate difference, the bytes stay the
//    ones that were reviewed); any other file there is refused;
//  - symlinks are followed when their target is inside the chart directory
//    (as Helm follows them) and refused when it is outside; a symlink loop is
//    refused; sockets, FIFOs and devices are refused unless ignored;
//  - Chart.lock is packaged second for v1 charts too (Helm drops it there, and
//    re-serialises it for v2); requirements.yaml/.lock are ordinary files;
//  - Chart.yaml is validated first (chart_yaml.hpp) and packaged verbatim
//    (Helm re-serialises it; we keep the reviewed bytes), other files too
//    (Helm drops a UTF-8 BOM; we do not);
//  - reproducible: mode 0644 (0755 when any execute bit is set), uid/gid 0,
//    no user/group names, every mtime = options.mtime (SOURCE_DATE_EPOCH) or
//    else kDefaultPackageMtime, gzip level 9 with no name and mtime 0. The
//    same directory gives the same bytes whatever the files' mtimes.
// Nothing is written: the caller stores the bytes (atomically).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "chart/archive_reader.hpp"
#include "chart/metadata.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::chart {

inline constexpr std::uint64_t kDefaultPackageMtime = 315532800;  // 1980-01-01T00:00:00Z

struct PackageOptions {
  std::optional<std::uint64_t> mtime;  // seconds since the epoch for every entry
  ArchiveLimits limits;                // enforced on the input and on the result
};

struct PackagedChart {
  Bytes tgz;
  ChartMetadata metadata;
  std::string file_name;  // "<name>-<version>.tgz"
  std::string sha256_hex;
  std::vector<std::string> entries;  // archive order
};

Result<PackagedChart> package_chart(const std::filesystem::path& chart_dir, const PackageOptions& options = {});

// Parses a SOURCE_DATE_EPOCH value: nullptr or "" -> nullopt, otherwise a
// decimal number of seconds that fits a tar header, or an error.
Result<std::optional<std::uint64_t>> parse_source_date_epoch(const char* value);

}  // namespace chartprov::chart
