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

Result<MessageBlock> parse_message_block(std::string_view plaintext);

// chart_yaml + "\n...\n" + "files:\n  <name>: sha256:<hex>\n". For a chart
// packaged by helm this is byte for byte what helm signs.
Result<std::string> build_message_block(std::string_view chart_yaml, std::string_view archive_name,
                                        std::string_view sha256_hex);

}  // namespace chartprov::envelope::prov
