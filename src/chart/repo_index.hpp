#pragma once
// A Helm repository's index.yaml, read for verification: for every chart
// version listed under `entries:`, its name, version, digest and urls. The
// rest of each entry (description, maintainers, ...) is skipped as it
// streams past: yaml-cpp's parser events are consumed one by one, so memory
// grows with the number of entries (a few short strings each), never with
// the fields a repository adds to them.
//
// Refused as a whole (garbage, not a repository): not exactly one YAML
// document, a top level that is not a mapping, no `entries:` mapping, an
// entry list that is not a sequence of mappings, a name/version/digest that
// is not a scalar, urls that are not a sequence of scalars, aliases (*x) or
// merge keys anywhere, a duplicate key at the top level, among the chart
// names or inside one entry, and anything beyond the limits. A field that is
// missing or odd in one entry is that entry's problem (the caller reports
// it against that chart), not the index's.
#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace chartprov::chart {

struct RepoIndexLimits {
  std::size_t max_entries = 500000;  // chart versions, all names together
  std::size_t max_urls = 16;         // per entry
  std::size_t max_field = 4096;      // bytes of one name, version, digest or url
};

struct RepoIndexEntry {
  std::string key;                    // the name it is listed under in `entries:`
  std::string name, version, digest;  // empty when absent (or null)
  std::vector<std::string> urls;
  int line = 0;  // 1-based, where the entry starts
};

struct RepoIndex {
  std::string api_version;
  std::vector<RepoIndexEntry> entries;
};

Result<RepoIndex> parse_repo_index(std::istream& in, const RepoIndexLimits& limits = {});
Result<RepoIndex> parse_repo_index(std::string_view text, const RepoIndexLimits& limits = {});

// One chart version for a fresh index.yaml (what helm repo index writes).
struct RepoIndexWriteEntry {
  std::string api_version, name, version, app_version, description, type;
  std::string digest_hex;  // SHA-256 of the archive, lower-case hex (Helm's form)
  std::string url;         // relative to the index
  std::string created;     // RFC 3339
};

// index.yaml text: apiVersion v1, entries grouped by name in the order given,
// every string quoted by yaml-cpp's emitter (no injection through a field).
std::string write_repo_index(const std::vector<RepoIndexWriteEntry>& entries, const std::string& generated);

// A relative url of an entry as a path inside the repository: plain
// components of [A-Za-z0-9._+-] (no "..", ".", empty components, leading
// "/", "%", "?", "#" or backslashes). Empty string when it is not one (the
// caller says why); absolute http(s) URLs are not paths either.
std::string repo_relative_path(std::string_view url);

}  // namespace chartprov::chart
