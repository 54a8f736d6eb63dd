#include "chart/semver.hpp"

#include <vector>

namespace chartprov::chart {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'; }

std::vector<std::string_view> split_dots(std::string_view s) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '.') {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool all_digits(std::string_view s) {
  for (const char c : s) {
    if (!is_digit(c)) return false;
  }
  return !s.empty();
}

std::optional<std::string> check_identifiers(std::string_view part, const char* what, bool numeric_no_leading_zero) {
  for (const std::string_view id : split_dots(part)) {
    if (id.empty()) return std::string("empty ") + what + " identifier";
    for (const char c : id) {
      if (!is_ident_char(c)) return std::string("invalid character '") + c + "' in " + what;
    }
    if (numeric_no_leading_zero && all_digits(id) && id.size() > 1 && id[0] == '0') {
      return std::string("numeric ") + what + " identifier '" + std::string(id) + "' has a leading zero";
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> semver_error(std::string_view v) {
  if (v.empty()) return "empty version";
  if (v[0] == 'v' || v[0] == 'V') return "a leading 'v' is not SemVer (write " + std::string(v.substr(1)) + ")";
  std::string_view build;
  if (const std::size_t plus = v.find('+'); plus != std::string_view::npos) {
    build = v.substr(plus + 1);
    v = v.substr(0, plus);
    if (build.empty()) return "empty build metadata after '+'";
    if (auto e = check_identifiers(build, "build metadata", false)) return e;
  }
  std::string_view pre;
  bool has_pre = false;
  if (const std::size_t dash = v.find('-'); dash != std::string_view::npos) {
    pre = v.substr(dash + 1);
    v = v.substr(0, dash);
    has_pre = true;
  }
  const std::vector<std::string_view> core = split_dots(v);
  if (core.size() != 3) return "must be MAJOR.MINOR.PATCH";
  for (const std::string_view n : core) {
    if (!all_digits(n)) return "MAJOR.MINOR.PATCH must be numbers";
    if (n.size() > 1 && n[0] == '0') return "version number '" + std::string(n) + "' has a leading zero";
    // Helm parses these as uint64; a longer number would be refused there.
    if (n.size() > 20 || (n.size() == 20 && n > "18446744073709551615")) {
      return "version number '" + std::string(n) + "' is too large";
    }
  }
  if (has_pre) {
    if (pre.empty()) return "empty pre-release after '-'";
    if (auto e = check_identifiers(pre, "pre-release", true)) return e;
  }
  return std::nullopt;
}

}  // namespace chartprov::chart
