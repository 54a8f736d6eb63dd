#pragma once
// Reads a packaged chart (.tgz) once, in bounded memory: every 64 KiB chunk
// feeds both the SHA-256 of the file bytes and a streaming gunzip -> tar
// parser, so the bytes that are hashed are exactly the bytes that were
// checked. Only Chart.yaml (<= 1 MiB) and the entry names are kept.
//
// Refused, each with its own message naming the entry: not gzip, corrupt or
// truncated gzip, a second gzip member or any byte after the gzip trailer;
// tar checksum errors and truncation; entry names that are empty, absolute,
// contain "..", ".", empty components, backslashes, NUL or control
// characters, exceed the length or depth limits, or are not all under one
// top-level directory; duplicate names (and a name used both as file and
// directory); symlinks, hard links, devices, FIFOs and unknown entry types;
// too many entries, an oversized file, total or compressed size, a
// decompression ratio above the limit; no <top>/Chart.yaml, an invalid one
// (chart_yaml.hpp), or a top-level directory that differs from the chart name.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "chart/chart_yaml.hpp"
#include "chart/metadata.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::chart {

// The most a chart archive (.tgz) may hold, wherever one is read, copied,
// fetched or pushed (Helm's limit on a chart's files is the same 100 MiB).
inline constexpr std::uint64_t kMaxChartArchive = 100ull << 20;

struct ArchiveLimits {
  std::uint64_t max_compressed_size = kMaxChartArchive;  // the .tgz file
  std::uint64_t max_total_size = 100ull << 20;           // decompressed tar stream (Helm: 100 MiB of files)
  std::uint64_t max_file_size = 5ull << 20;              // one file (Helm's MaxDecompressedFileSize)
  std::uint64_t max_chart_yaml_size = kMaxChartYamlSize;
  std::size_t max_entries = 10000;
  std::size_t max_path_length = 1024;         // bytes, whole entry name
  std::size_t max_depth = 32;                 // path components
  std::uint64_t max_ratio = 200;              // decompressed : compressed ...
  std::uint64_t ratio_grace = 1ull << 20;     // ... checked once this much is decompressed
  std::uint64_t max_name_bytes = 4ull << 20;  // all names (and their parents) kept for duplicate checks
  bool require_top_dir_is_name = true;        // <top>/ must equal Chart.yaml's name
  bool allow_plugin = false;                  // accept a Helm 4 plugin (<top>/plugin.yaml, no Chart.yaml)
  bool one_shot_gunzip = true;                // small archives through libdeflate (gzip.hpp); same verdicts
};

struct ChartArchive {
  std::string sha256_hex;               // of the file bytes, lower-case
  std::uint64_t size = 0;               // file bytes
  std::uint64_t uncompressed_size = 0;  // tar stream bytes
  std::string chart_yaml;               // <top>/Chart.yaml (or plugin.yaml for a plugin), verbatim
  bool is_plugin = false;               // a Helm 4 plugin tarball (limits.allow_plugin)
  ChartMetadata metadata;
  std::size_t entries = 0;         // tar members (files and directories)
  std::string top_dir;             // without the slash
  std::vector<std::string> files;  // regular files, full names, archive order
};

// Reads the file at `path` (a regular file; FIFOs and devices are refused).
Result<ChartArchive> read_chart_archive(const std::filesystem::path& path, const ArchiveLimits& limits = {});

// One streaming read of a chart file that always runs to the end of the
// file: `archive` is the checks' verdict, while sha256_hex and size are of
// every byte read, also when the archive is refused (a verifier reports the
// digest either way). Every chunk also goes to `sink`, in order, after it is
// hashed: a caller can compute another digest of the same bytes, or keep
// them, without reading the file twice. Only I/O errors (cannot open, not a
// regular file, too large, read error) are Errors.
struct ChartFileRead {
  Result<ChartArchive> archive = input_error("not read");
  std::string sha256_hex;
  std::uint64_t size = 0;
};
Result<ChartFileRead> read_chart_file(const std::filesystem::path& path, const ArchiveLimits& limits,
                                      const std::function<void(ByteView)>& sink);

// The same checks over bytes in memory (tests, fuzzing, already-fetched data).
Result<ChartArchive> read_chart_archive_bytes(ByteView tgz, const ArchiveLimits& limits = {});

// One regular file of a chart archive: its name below the top-level directory
// ("templates/deployment.yaml") and its bytes.
struct ChartFile {
  std::string name;
  Bytes data;
};

// A chart archive with the bytes of every file, in archive order: what Helm's
// loader sees (comparing a release record with a verified chart). The same
// checks and refusals as read_chart_archive_bytes; memory is bounded by
// limits.max_total_size.
struct ChartContents {
  ChartArchive archive;
  std::vector<ChartFile> files;
};
Result<ChartContents> read_chart_contents_bytes(ByteView tgz, const ArchiveLimits& limits = {});

}  // namespace chartprov::chart
