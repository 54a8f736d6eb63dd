#pragma once
// .helmignore with Helm's own semantics (helm pkg/ignore/rules.go), which
// differ from .gitignore:
//  - one pattern a line; blank lines and lines starting with '#' are skipped;
//    surrounding whitespace is trimmed; a UTF-8 BOM on the first line too;
//  - "**" is an error; so is a malformed glob (glob.hpp);
//  - a trailing '/' makes the rule match directories only;
//  - a pattern with a leading '/' or containing '/' matches the whole path
//    relative to the chart directory, otherwise only the base name;
//  - rules are tried in order and the first that decides wins: a plain rule
//    that matches ignores the path; a negated rule ("!p") ignores every path
//    that does NOT match p (and every non-directory when it ends in '/'),
//    and lets a matching path fall through to the next rules;
//  - an ignored directory is not descended into;
//  - add_defaults() appends "templates/.?*" (hidden files in templates/).
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace chartprov::chart {

class HelmIgnore {
 public:
  static Result<HelmIgnore> parse(std::string_view text);
  void add_defaults();

  // `path` is relative to the chart directory, '/'-separated, without a
  // trailing slash.
  bool ignored(std::string_view path, bool is_dir) const;

 private:
  struct Rule {
    std::string pattern;
    bool negate = false;
    bool must_dir = false;
    bool whole_path = false;  // else the base name
  };
  Status add_rule(std::string_view line);
  bool matches(const Rule& r, std::string_view path) const;

  std::vector<Rule> rules_;
};

}  // namespace chartprov::chart
