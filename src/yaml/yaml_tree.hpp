#pragma once
// A small YAML document tree built from yaml-cpp's parser events, with the
// checks Chart.yaml needs that yaml-cpp does not make: text that Go's YAML
// reads as the same characters and lines (util/go_yaml_text.hpp), one
// document only, no duplicate mapping keys (at any depth), only scalar keys
// without tags (Go's YAML decodes "!!binary bmFtZQ==" to the key "name"), no
// aliases, no merge keys ("<<", which Go's YAML applies and yaml-cpp does
// not), nesting at most kMaxNestingDepth (util/nesting.hpp). Every yaml-cpp
// exception is caught here and becomes an Error. docs/CHART-YAML.md lists
// every rule and why.
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace chartprov::yaml {

struct YamlNode {
  enum class Kind { kNull, kScalar, kSequence, kMapping };
  Kind kind = Kind::kNull;
  std::string tag;    // "?" plain scalar, "!" quoted, or an explicit tag
  std::string value;  // scalars
  int line = 0;       // 1-based
  // Sequence items, or mapping keys and values interleaved (k0, v0, k1, ...).
  std::vector<YamlNode> children;

  bool is_plain_scalar() const { return kind == Kind::kScalar && tag == "?"; }
};

struct YamlLimits {
  std::size_t max_nodes = 100000;
};

// Parses exactly one YAML document. `what` names the input in errors
// ("Chart.yaml").
Result<YamlNode> parse_yaml_document(std::string_view text, std::string_view what, const YamlLimits& limits = {});
// The same, but a stream with no document at all (only comments or blank
// lines, as an empty values.yaml) gives a null node instead of an error.
Result<YamlNode> parse_yaml_document_or_empty(std::string_view text, std::string_view what,
                                              const YamlLimits& limits = {});

// Whether Go's YAML 1.1 resolver reads this plain scalar as something other
// than a string (bool, null, int, float): such a value means different things
// to different parsers when a string is expected.
bool yaml11_plain_is_not_string(std::string_view value);

}  // namespace chartprov::yaml
