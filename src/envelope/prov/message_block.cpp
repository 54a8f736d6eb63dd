#include "envelope/prov/message_block.hpp"

#include <algorithm>

#include "yaml/yaml_tree.hpp"

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

// "---" or "..." alone, or followed by blanks or a comment: YAML ends or
// starts a document there, and Helm splits the block at "\n...\n".
bool is_document_marker(std::string_view line) {
  const std::string_view head = line.substr(0, 3);
  return (head == "---" || head == "...") && (line.size() == 3 || line[3] == ' ' || line[3] == '\t');
}

Result<FileDigest> parse_entry(std::string_view line) {
  if (line.substr(0, 2) != "  ")
    return input_error("malformed files: entry \"" + std::string(line.substr(0, 80)) + "\"");
  const std::string_view entry = line.substr(2);
  const std::size_t colon = entry.find(": ");
  if (colon == std::string_view::npos) {
    return input_error("malformed files: entry \"" + std::string(entry.substr(0, 80)) + "\"");
  }
  FileDigest f;
  f.name = std::string(entry.substr(0, colon));
  if (!is_plain_file_name(f.name))
    return input_error("unexpected file name \"" + f.name.substr(0, 80) + "\" in files:");
  const std::string_view value = entry.substr(colon + 2);
  if (value.substr(0, 7) != "sha256:") {
    return input_error("files: entry for " + f.name + " is not a sha256 digest (\"" + std::string(value.substr(0, 16)) +
                       "...\")");
  }
  f.algorithm = "sha256";
  f.hex = std::string(value.substr(7));
  if (f.hex.size() != 64 || !is_lower_hex(f.hex)) {
    return input_error("files: digest for " + f.name + " is not 64 lower-case hex digits");
  }
  return f;
}

Result<std::vector<FileDigest>> parse_files(std::string_view part) {
  // Tolerate final empty lines (helm v4 signs one; gpg --clearsign of a file
  // keeps what the file had) and nothing else after the entries.
  while (!part.empty() && part.back() == '\n') part.remove_suffix(1);
  if (part.empty()) return input_error("the digest part is empty");
  const std::size_t first_eol = part.find('\n');
  const std::string_view first = part.substr(0, first_eol);
  if (first != "files:") {
    return input_error("the digest part must start with \"files:\" (found \"" + std::string(first.substr(0, 40)) +
                       "\")");
  }
  std::string_view rest = first_eol == std::string_view::npos ? std::string_view() : part.substr(first_eol + 1);
  std::vector<FileDigest> files;
  while (!rest.empty()) {
    const std::size_t eol = rest.find('\n');
    TRY(FileDigest f, parse_entry(rest.substr(0, eol)));
    files.push_back(std::move(f));
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
  }
  if (files.empty()) return input_error("files: lists no file");
  // Helm's YAML lets the last of two entries win; which one was meant is ambiguous.
  std::vector<std::string_view> names;
  names.reserve(files.size());
  for (const auto& f : files) names.emplace_back(f.name);
  std::sort(names.begin(), names.end());
  if (const auto dup = std::adjacent_find(names.begin(), names.end()); dup != names.end()) {
    return input_error("files: lists " + std::string(*dup) + " more than once");
  }
  return files;
}

// A value Go's YAML and yaml-cpp both read as the same string.
Result<std::string> string_field(const yaml::YamlNode& v, const std::string& key) {
  const bool string_tag = v.tag == "?" || v.tag == "!" || v.tag == "tag:yaml.org,2002:str";
  if (v.kind != yaml::YamlNode::Kind::kScalar || !string_tag ||
      (v.is_plain_scalar() && yaml::yaml11_plain_is_not_string(v.value))) {
    return input_error("signed metadata: " + key + " is not a string");
  }
  return v.value;
}

// name/version/apiVersion of a chart (Chart.yaml keys) or of a Helm 4 plugin
// (its metadata is marshalled with Go field names: Name, Version, APIVersion).
Result<ChartRef> parse_metadata(std::string_view yaml) {
  if (yaml.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return input_error("the signed metadata is empty");
  }
  // Refuses duplicate keys at any depth, aliases, merge keys, several documents.
  TRY(const yaml::YamlNode doc, yaml::parse_yaml_document(yaml, "signed metadata"));
  if (doc.kind != yaml::YamlNode::Kind::kMapping) return input_error("the signed metadata is not a mapping");
  ChartRef chart, plugin;
  for (std::size_t i = 0; i + 1 < doc.children.size(); i += 2) {
    const std::string& key = doc.children[i].value;
    std::string* slot = key == "name"         ? &chart.name
                        : key == "version"    ? &chart.version
                        : key == "apiVersion" ? &chart.api_version
                        : key == "Name"       ? &plugin.name
                        : key == "Version"    ? &plugin.version
                        : key == "APIVersion" ? &plugin.api_version
                                              : nullptr;
    if (slot == nullptr) continue;
    TRY(*slot, string_field(doc.children[i + 1], key));
  }
  ChartRef ref = chart.name.empty() && chart.version.empty() ? plugin : chart;
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
  block.metadata_yaml = std::string(plaintext.substr(0, sep));
  TRY(block.files, parse_files(digests));
  TRY(block.metadata, parse_metadata(block.metadata_yaml));
  return block;
}

Result<std::string> build_message_block(std::string_view chart_yaml, std::string_view archive_name,
                                        std::string_view sha256_hex) {
  if (!is_plain_file_name(archive_name)) {
    return input_error("archive name \"" + std::string(archive_name) + "\" cannot be signed");
  }
  if (sha256_hex.size() != 64 || !is_lower_hex(sha256_hex)) return internal_error("bad sha256 digest");
  // What every cleartext verifier will see anyway: LF line ends, no trailing blanks.
  std::string block;
  block.reserve(chart_yaml.size() + archive_name.size() + 100);
  std::size_t number = 0;
  while (!chart_yaml.empty()) {
    ++number;
    const std::size_t lf = chart_yaml.find('\n');
    std::string_view line = chart_yaml.substr(0, lf);
    chart_yaml.remove_prefix(lf == std::string_view::npos ? chart_yaml.size() : lf + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.find('\r') != std::string_view::npos) {
      return input_error("Chart.yaml line " + std::to_string(number) + " holds a carriage return; it cannot be signed");
    }
    if (number == 1 && line == "---") continue;  // an explicit document start changes nothing
    if (is_document_marker(line)) {
      return input_error("Chart.yaml line " + std::to_string(number) +
                         " is a YAML document marker (--- or ...); it cannot be signed");
    }
    block.append(line);
    block.push_back('\n');
  }
  block.append("\n...\nfiles:\n  ");
  block.append(archive_name);
  block.append(": sha256:");
  block.append(sha256_hex);
  block.push_back('\n');
  // Sign only what chartprov itself will read back the same way.
  const auto parsed = parse_message_block(block);
  if (!parsed.ok()) return parsed.error().with_context("Chart.yaml cannot be signed");
  return block;
}

}  // namespace chartprov::envelope::prov
