#pragma once
// Helm's provenance "message block": the chart metadata YAML, the YAML
// end-of-document marker, and the files: digests. Parsed strictly: where
// Helm's lax reader and a careful one could disagree (duplicate entries, a
// third part, a capitalised key), chartprov refuses.
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace chartprov::envelope::prov {

struct ChartRef {
  std::string name, version;
  std::string api_version;  // "v2", "v1"; empty when the metadata has none
};

struct FileDigest {
  std::string name;
  std::string algorithm;  // "sha256"
  std::string hex;        // 64 lower-case hex digits
};

struct MessageBlock {
  std::string metadata_yaml;
  ChartRef metadata;
  std::vector<FileDigest> files;
  const FileDigest* find(std::string_view name) const;
};

// plaintext as parse_cleartext gives it. Refused: no "\n...\n" separator or
// a second one; a digest part that is not exactly "files:" then one or more
// "  <name>: sha256:<64 lower-case hex>" lines (empty lines may follow), so
// "Files:", other indentation, quoting, flow style, other algorithms and
// upper-case hex are parse errors, not later mismatches; a name listed
// twice; metadata that is not one YAML mapping (duplicate keys, aliases,
// merge keys refused) with string name and version.
Result<MessageBlock> parse_message_block(std::string_view plaintext);

// The Chart.yaml bytes with LF line ends and trailing blanks removed (what
// verifiers see of them anyway) and a leading "---" line dropped, then
// "\n...\n", then "files:\n  <name>: sha256:<hex>\n". For a chart packaged
// by helm this is byte for byte what helm signs. Refused: a Chart.yaml line
// that is a YAML document marker (--- or ...), a CR inside a line, a block
// that parse_message_block would not read back.
Result<std::string> build_message_block(std::string_view chart_yaml, std::string_view archive_name,
                                        std::string_view sha256_hex);

}  // namespace chartprov::envelope::prov
