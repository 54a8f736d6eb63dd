#include "app/admission/chart_source.hpp"

#include <system_error>
#include <utility>

#include "app/repo/mirror.hpp"

namespace chartprov::app {

Result<ChartSource> parse_chart_source(std::string_view text) {
  if (text.empty()) return usage_error("--chart-source is empty");
  ChartSource source;
  source.text = std::string(text);
  if (text.starts_with("https://") || text.starts_with("http://")) {
    source.url = source.text;
    return source;
  }
  if (text.starts_with("oci://")) {
    return usage_error("--chart-source " + source.text +
                       ": an OCI registry is not a chart source; mirror it into a directory with `chartprov mirror`");
  }
  source.directory = std::filesystem::path(source.text);
  std::error_code ec;
  if (!std::filesystem::is_directory(source.directory, ec)) {
    return usage_error("--chart-source " + source.text + " is not a directory");
  }
  return source;
}

Result<MaterializedSources> materialize_sources(const std::vector<ChartSource>& sources, const RepoTrustOptions& trust,
                                                const std::filesystem::path& work) {
  MaterializedSources out;
  for (const auto& source : sources) {
    if (!source.remote()) {
      out.directories.push_back(source.directory);
      continue;
    }
    TRY(TempDir dir, TempDir::create("chartprov-source", work));
    MirrorRequest request;
    request.source_url = source.url;
    request.dest = dir.path() / "charts";
    request.quarantine = dir.path() / "quarantine";
    request.trust = trust;
    const auto mirrored = mirror_repo(request);
    if (!mirrored) return mirrored.error().with_context("chart source " + source.url);
    out.directories.push_back(request.dest);
    out.mirrors.push_back(std::move(dir));
  }
  return out;
}

}  // namespace chartprov::app
