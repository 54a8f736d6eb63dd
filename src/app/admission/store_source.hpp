#pragma once
// Where an admission webhook's verified charts come from (issue 15): a
// directory of signed charts (a `chartprov mirror` output, or any directory
// of CHART.tgz files with their envelopes beside them), read as it is; or a
// chart repository URL, mirrored (app/repo/mirror.hpp: only what verifies is
// kept) into a private directory each time the stores are built; or an OCI
// registry path, oci://HOST/PATH, holding charts as HOST/PATH/NAME:VERSION,
// which cannot be listed: a chart is pulled from it when a review names one
// no store holds (chart_store.hpp, add_oci_chart). Nothing here prints.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/repo/verify_repo.hpp"
#include "util/result.hpp"
#include "util/temp_dir.hpp"

namespace chartprov::app {

struct StoreSource {
  std::string text;                 // as configured
  std::filesystem::path directory;  // a directory source
  std::string url;                  // a repository source: http(s)://HOST/PATH[/index.yaml]
  std::string oci_path;             // a registry source: oci://HOST/PATH (no trailing '/')
  std::string registry;             // its HOST[:PORT]
  bool remote() const { return !url.empty(); }
  bool oci() const { return !oci_path.empty(); }
};

// "http://..." or "https://...": a chart repository; "oci://HOST/PATH": a
// registry path; anything else: a directory. Refused: ""; an oci:// source
// without a path, with a tag or digest, or with a byte outside
// [A-Za-z0-9._/:-]; a directory source that is not a directory.
[[nodiscard]] Result<StoreSource> parse_store_source(std::string_view text);

// The directories the stores are read from, one per source in order, and the
// private directories that hold the mirrored ones (removed when this goes).
struct MaterializedSources {
  std::vector<std::filesystem::path> directories;
  std::vector<TempDir> mirrors;
};

// The oci:// reference of chart NAME VERSION in a registry source, as helm
// push names it (a '+' of the version becomes '_' in the tag). Refused (no
// reference is made of what a release record claims): a name outside
// [a-z0-9][a-z0-9._-]{0,127}, a version outside [A-Za-z0-9][A-Za-z0-9._+-]{0,127}.
[[nodiscard]] Result<std::string> oci_chart_reference(const StoreSource& source, std::string_view name);
[[nodiscard]] Result<std::string> oci_chart_tag(std::string_view version);

// Chart NAME VERSION of a repository source, downloaded with the envelopes
// beside its url into `into` (an existing private directory) under its own
// file name: that file, or nullopt when index.yaml lists no such chart.
// Errors: index.yaml cannot be fetched or read (list_remote_repo); the
// listing gives the chart a reason (a url that cannot be a file, listed
// twice); the chart cannot be downloaded, or an envelope download fails other
// than by absence (a 4xx); the bytes are not the digest index.yaml lists.
[[nodiscard]] Result<std::optional<std::filesystem::path>> fetch_repository_chart(const StoreSource& source,
                                                                                  std::string_view name,
                                                                                  std::string_view version,
                                                                                  const std::filesystem::path& into);

// Directory sources as they are (registry sources are skipped); each repository source mirrored with
// `trust` (its charts verified as `verify` would, before any policy) into a
// fresh private directory below `work` (the system's temporary directory
// when empty). Errors: mirror_repo's, with the source named (an index that
// cannot be fetched or read); a private directory that cannot be made. A
// chart the mirror quarantines is simply not there.
[[nodiscard]] Result<MaterializedSources> materialize_sources(const std::vector<StoreSource>& sources,
                                                              const TrustSource& trust,
                                                              const std::filesystem::path& work);

}  // namespace chartprov::app
