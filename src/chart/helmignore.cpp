#include "chart/helmignore.hpp"

#include "infra/archive/tar_format.hpp"
#include "util/glob.hpp"

namespace chartprov::chart {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<HelmIgnore> HelmIgnore::parse(std::string_view text) {
  HelmIgnore rules;
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  int line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (const Status s = rules.add_rule(line); !s.ok()) {
      return input_error(".helmignore line " + std::to_string(line_no) + ": " + s.error().message);
    }
  }
  return rules;
}

void HelmIgnore::add_defaults() {
  const Status s = add_rule("templates/.?*");
  (void)s;  // a constant, valid pattern
}

Status HelmIgnore::add_rule(std::string_view line) {
  std::string_view rule = trim(line);
  if (rule.empty() || rule.front() == '#') return ok_status();
  if (rule.find("**") != std::string_view::npos) return input_error("double-star (**) syntax is not supported");
  if (const Status s = check_glob(rule); !s.ok()) {
    return input_error("bad pattern " + archive::quote_name(rule) + ": " + s.error().message);
  }
  Rule r;
  if (rule.front() == '!') {
    r.negate = true;
    rule.remove_prefix(1);
  }
  if (!rule.empty() && rule.back() == '/') {
    r.must_dir = true;
    rule.remove_suffix(1);
  }
  if (!rule.empty() && rule.front() == '/') {
    r.whole_path = true;
    rule.remove_prefix(1);
  } else {
    r.whole_path = rule.find('/') != std::string_view::npos;
  }
  r.pattern = std::string(rule);
  rules_.push_back(std::move(r));
  return ok_status();
}

bool HelmIgnore::matches(const Rule& r, std::string_view path) const {
  if (r.whole_path) return glob_match(r.pattern, path);
  const std::size_t slash = path.rfind('/');
  return glob_match(r.pattern, slash == std::string_view::npos ? path : path.substr(slash + 1));
}

bool HelmIgnore::ignored(std::string_view path, bool is_dir) const {
  if (path.empty() || path == "." || path == "./") return false;
  for (const Rule& r : rules_) {
    if (r.negate) {
      if (r.must_dir && !is_dir) return true;
      if (!matches(r, path)) return true;
      continue;
    }
    if (r.must_dir && !is_dir) continue;
    if (matches(r, path)) return true;
  }
  return false;
}

}  // namespace chartprov::chart
