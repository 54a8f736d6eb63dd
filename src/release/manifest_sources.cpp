#include "release/manifest_sources.hpp"

#include <set>

namespace chartprov::release {
namespace {

constexpr std::string_view kSourcePrefix = "# Source: ";

// "<prefix><name>/templates/..." for the chart, then its subcharts under each name Helm may give them.
void collect_paths(const VerifiedChart& chart, const std::string& prefix, std::set<std::string, std::less<>>& out) {
  for (const chart::ChartFile& t : chart.templates) out.insert(prefix + t.name);
  for (const VerifiedChart& sub : chart.subcharts) {
    std::set<std::string> names{sub.metadata.name};
    for (const chart::Dependency& d : chart.metadata.dependencies) {
      if (d.name == sub.metadata.name && !d.alias.empty()) names.insert(d.alias);
    }
    for (const std::string& name : names) collect_paths(sub, prefix + "charts/" + name + "/", out);
  }
}

}  // namespace

std::string first_unknown_source(std::string_view manifest, const std::vector<RecordHook>& hooks,
                                 const VerifiedChart& verified) {
  std::set<std::string, std::less<>> known;
  collect_paths(verified, verified.metadata.name + "/", known);
  std::size_t pos = 0;
  while (pos < manifest.size()) {
    std::size_t end = manifest.find('\n', pos);
    if (end == std::string_view::npos) end = manifest.size();
    std::string_view line = manifest.substr(pos, end - pos);
    pos = end + 1;
    if (!line.starts_with(kSourcePrefix)) continue;
    line.remove_prefix(kSourcePrefix.size());
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (!known.contains(line)) return std::string(line);
  }
  for (const RecordHook& hook : hooks) {
    if (!hook.path.empty() && !known.contains(hook.path)) return hook.path;
  }
  return {};
}

}  // namespace chartprov::release
