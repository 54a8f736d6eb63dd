// libFuzzer target for index.yaml (a Helm repository's index, as verify-repo
// and mirror read it). Invariants: no exception escapes, errors say something,
// accepted indexes respect the limits, and every url that repo_relative_path
// accepts is a plain relative path that stays inside the repository.
// fuzz-seeds: index.yaml
// (tests/data has none: the seeds are fuzz/corpus/repo_index/)
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "chart/repo_index.hpp"
#include "fuzz_check.hpp"

using chartprov::fuzz::check;

using namespace chartprov;

namespace {

void check_path(std::string_view url) {
  const std::string p = chart::repo_relative_path(url);
  if (p.empty()) return;
  check(p == url && p.front() != '/' && p.find("//") == std::string::npos && p.find('\\') == std::string::npos &&
        p.find(':') == std::string::npos && p.back() != '/');
  // No component may climb or stay: "a..b" is a name, ".." and "." are not.
  for (std::size_t start = 0;;) {
    const std::size_t slash = p.find('/', start);
    const std::string part = p.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    check(part != ".." && part != "." && !part.empty());
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  chart::RepoIndexLimits limits;
  limits.max_entries = 1000;
  const auto r = chart::parse_repo_index(text, limits);
  check_path(text.substr(0, 256));
  if (!r.ok()) {
    check(!r.error().message.empty());
    return 0;
  }
  check(r->api_version == "v1");
  check(r->entries.size() <= limits.max_entries);
  for (const auto& e : r->entries) {
    check(e.urls.size() <= limits.max_urls);
    check(e.name.size() <= limits.max_field && e.version.size() <= limits.max_field &&
          e.digest.size() <= limits.max_field);
    for (const auto& u : e.urls) check_path(u);
  }
  return 0;
}
