#include "chart/entry_name.hpp"

#include "infra/archive/tar_format.hpp"

namespace chartprov::chart {

Result<std::vector<std::string_view>> split_entry_name(std::string_view name, bool is_dir, std::size_t max_length,
                                                       std::size_t max_depth) {
  auto bad = [name](const std::string& why) { return input_error("entry " + archive::quote_name(name) + " " + why); };
  if (name.empty()) return input_error("an entry has an empty name");
  if (name.size() > max_length) {
    return bad("has a name of " + std::to_string(name.size()) + " bytes (limit " + std::to_string(max_length) + ")");
  }
  if (name.front() == '/') return bad("is an absolute path");
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\') return bad("contains a backslash");
    if (u == 0) return bad("contains a NUL byte");
    if (u < 0x20 || u == 0x7f) return bad("contains a control character");
  }
  std::string_view rest = name;
  if (rest.back() == '/') {
    if (!is_dir) return bad("is a file with a directory name (trailing '/')");
    rest.remove_suffix(1);
  }
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= rest.size(); ++i) {
    if (i < rest.size() && rest[i] != '/') continue;
    const std::string_view part = rest.substr(start, i - start);
    if (part.empty()) return bad("has an empty path component ('//' or a trailing '/')");
    if (part == "..") return bad("contains a '..' component");
    if (part == ".") return bad("contains a '.' component");
    parts.emplace_back(part);
    if (parts.size() > max_depth) return bad("is nested more than " + std::to_string(max_depth) + " levels deep");
    start = i + 1;
  }
  return parts;
}

}  // namespace chartprov::chart
