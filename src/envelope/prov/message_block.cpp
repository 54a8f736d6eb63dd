#include "envelope/prov/message_block.hpp"

#include "chart/yaml_tree.hpp"

namespace chartprov::envelope::prov {
namespace {

constexpr std::string_view kSeparator = "\n...\n";

bool is_lower_hex(std::string_view s) {
  for (const char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// A name as helm writes it: a plain YAML scalar made of chart-name and
// SemVer characters.
bool is_plain_file_name(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == '_' || c == '+';
    if (!ok) return false;
  }
  return true;
}

Result<std::vector<FileDigest>> parse_files(std::string_view part) {
  // Tolerate final empty lines (helm v4 signs one; gpg --clearsign of a file
  // keeps what the file had) and nothing else after the entries.
  while (!part.empty() && part.back() == '\n') part.remove_suffix(1);
  std::vector<FileDigest> files;
  std::size_t pos = 0;
  bool header = true;
  while (pos <= part.size()) {
    const std::size_t eol = part.find('\n', pos);
    const std::string_view line = part.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    pos = eol == std::string_view::npos ? part.size() + 1 : eol + 1;
    if (header) {
      if (line != "files:") return input_error("the digest part must start with \"files:\" (found \"" +
                                              std::string(line.substr(0, 40)) + "\")");
      header = false;
      continue;
    }
    if (line.substr(0, 2) != "  ") return input_error("malformed files: entry \"" + std::string(line.substr(0, 80)) + "\"");
    const std::string_view entry = line.substr(2);
    const std::size_t colon = entry.find(": ");
    if (colon == std::string_view::npos) return input_error("malformed files: entry \"" + std::string(entry) + "\"");
    FileDigest f;
    f.name = std::string(entry.substr(0, colon));
    const std::string_view value = entry.substr(colon + 2);
    if (!is_plain_file_name(f.name)) return input_error("unexpected file name \"" + f.name + "\" in files:");
    if (value.substr(0, 7) != "sha256:") {
      return input_error("files: entry for " + f.name + " is not a sha256 digest (\"" +
                         std::string(value.substr(0, 16)) + "...\")");
    }
    f.algorithm = "sha256";
    f.hex = std::string(value.substr(7));
    if (f.hex.size() != 64 || !is_lower_hex(f.hex)) {
      return input_error("files: digest for " + f.name + " is not 64 lower-case hex digits");
    }
    for (const auto& other : files) {
      if (other.name == f.name) return input_error("files: lists " + f.name + " more than once");
    }
    files.push_back(std::move(f));
  }
  if (header) return input_error("the digest part is empty");
  if (files.empty()) return input_error("files: lists no file");
  return files;
}

// name/version of a chart (Chart.yaml keys) or of a Helm 4 plugin (its
// metadata is marshalled with Go field names: Name, Version).
Result<ChartRef> parse_metadata(std::string_view yaml) {
  if (yaml.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return input_error("the signed metadata is empty");
  }
  TRY(const chart::YamlNode doc, chart::parse_yaml_document(yaml, "signed metadata"));
  if (doc.kind != chart::YamlNode::Kind::kMapping) return input_error("the signed metadata is not a mapping");
  ChartRef ref;
  std::string plugin_name, plugin_version;
  for (std::size_t i = 0; i + 1 < doc.children.size(); i += 2) {
    const std::string& key = doc.children[i].value;
    const chart::YamlNode& v = doc.children[i + 1];
    std::string* slot = key == "name"      ? &ref.name
                        : key == "version" ? &ref.version
                        : key == "Name"    ? &plugin_name
                        : key == "Version" ? &plugin_version
                                           : nullptr;
    if (slot == nullptr) continue;
    if (v.kind != chart::YamlNode::Kind::kScalar) return input_error("signed metadata: " + key + " is not a string");
    *slot = v.value;
  }
  if (ref.name.empty() && ref.version.empty()) {
    ref.name = plugin_name;
    ref.version = plugin_version;
  }
  if (ref.name.empty()) return input_error("the signed metadata has no name");
  if (ref.version.empty()) return input_error("the signed metadata has no version");
  return ref;
}

}  // namespace

const FileDigest* MessageBlock::find(std::string_view name) const {
  for (const auto& f : files) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Result<MessageBlock> parse_message_block(std::string_view plaintext) {
  const std::size_t sep = plaintext.find(kSeparator);
  if (sep == std::string_view::npos) {
    // Helm's split also counts a block that starts with "...\n" after an empty metadata.
    return input_error("message block must have two parts separated by \"...\"");
  }
  const std::string_view digests = plaintext.substr(sep + kSeparator.size());
  if (digests.find(kSeparator) != std::string_view::npos || digests.substr(0, 4) == "...\n") {
    return input_error("message block has more than two parts");
  }
  MessageBlock block;
  block.metadata_yaml = std::string(plaintext.substr(0, sep + 1));
  TRY(block.files, parse_files(digests));
  TRY(block.metadata, parse_metadata(block.metadata_yaml));
  return block;
}

Result<std::string> build_message_block(std::string_view chart_yaml, std::string_view archive_name,
                                        std::string_view sha256_hex) {
  if (chart_yaml.substr(0, 4) == "---\n") chart_yaml.remove_prefix(4);
  std::string block(chart_yaml);
  if (block.empty() || block.back() != '\n') block.push_back('\n');
  const std::string probe = "\n" + block;
  if (probe.find("\n...\n") != std::string::npos || probe.find("\n---\n") != std::string::npos) {
    return input_error("Chart.yaml contains a YAML document marker line (\"...\" or \"---\"); it cannot be signed");
  }
  if (!is_plain_file_name(archive_name)) return input_error("archive name \"" + std::string(archive_name) + "\" cannot be signed");
  if (sha256_hex.size() != 64 || !is_lower_hex(sha256_hex)) return internal_error("bad sha256 digest");
  block.append("\n...\nfiles:\n  ");
  block.append(archive_name);
  block.append(": sha256:");
  block.append(sha256_hex);
  block.push_back('\n');
  return block;
}

}  // namespace chartprov::envelope::prov
