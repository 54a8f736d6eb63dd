#include "yaml/yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <array>
#include <sstream>
#include <unordered_set>

#include "util/go_yaml_text.hpp"
#include "util/nesting.hpp"
#include "yaml/block_yaml.hpp"

namespace chartprov::yaml {
namespace {

constexpr std::string_view kStrTag = "tag:yaml.org,2002:str";

int line_of(const YAML::Mark& m) { return m.line >= 0 ? m.line + 1 : 0; }

std::string at_line(int line) { return line > 0 ? " (line " + std::to_string(line) + ")" : ""; }

// Thrown from inside yaml-cpp's callbacks to stop parsing; carries no data,
// the message waits in the builder.
struct Abort {};

class TreeBuilder : public YAML::EventHandler {
 public:
  explicit TreeBuilder(const YamlLimits& limits) : limits_(limits) {}

  void OnDocumentStart(const YAML::Mark& m) override {
    if (++documents_ > 1) fail("more than one YAML document", line_of(m));
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override {
    YamlNode n;
    n.line = line_of(m);
    add(std::move(n));
  }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override {
    fail("YAML aliases (*name) are not allowed", line_of(m));
  }
  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t, const std::string& value) override {
    YamlNode n;
    n.kind = YamlNode::Kind::kScalar;
    n.tag = tag;
    n.value = value;
    n.line = line_of(m);
    add(std::move(n));
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    open(YamlNode::Kind::kSequence, tag, m);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(YamlNode::Kind::kMapping, tag, m);
  }
  void OnMapEnd() override { close(); }

  bool has_root() const { return has_root_; }
  YamlNode& root() { return root_; }
  const std::string& error() const { return error_; }

 private:
  struct Open {
    YamlNode node;
    std::unordered_set<std::string> keys;
  };

  [[noreturn]] void fail(const std::string& message, int line) {
    error_ = message + at_line(line);
    throw Abort{};
  }

  void count() {
    if (++nodes_ > limits_.max_nodes) fail("more than " + std::to_string(limits_.max_nodes) + " YAML nodes", 0);
  }

  void open(YamlNode::Kind kind, const std::string& tag, const YAML::Mark& m) {
    count();
    if (open_.size() >= kMaxNestingDepth) {
      fail("nested deeper than " + std::to_string(kMaxNestingDepth) + " levels", line_of(m));
    }
    Open o;
    o.node.kind = kind;
    o.node.tag = tag;
    o.node.line = line_of(m);
    open_.push_back(std::move(o));
  }

  void close() {
    YamlNode n = std::move(open_.back().node);
    open_.pop_back();
    attach(std::move(n));
  }

  void add(YamlNode n) {
    count();
    attach(std::move(n));
  }

  void attach(YamlNode n) {
    if (open_.empty()) {
      root_ = std::move(n);
      has_root_ = true;
      return;
    }
    Open& top = open_.back();
    const bool is_key = top.node.kind == YamlNode::Kind::kMapping && top.node.children.size() % 2 == 0;
    if (is_key) {
      if (n.kind != YamlNode::Kind::kScalar) fail("mapping keys must be strings", n.line);
      // Go's YAML decodes a tagged key first (!!binary bmFtZQ== is the key "name"); yaml-cpp does not.
      if (n.tag != "?" && n.tag != "!" && n.tag != kStrTag) fail("mapping keys must not carry a tag", n.line);
      if (n.value == "<<" && n.tag == "?") fail("YAML merge keys (<<) are not allowed", n.line);
      if (!top.keys.insert(n.value).second) fail("duplicate key '" + n.value + "'", n.line);
    }
    top.node.children.push_back(std::move(n));
  }

  const YamlLimits& limits_;
  std::vector<Open> open_;
  YamlNode root_;
  bool has_root_ = false;
  int documents_ = 0;
  std::size_t nodes_ = 0;
  std::string error_;
};

bool one_of(std::string_view v, std::initializer_list<std::string_view> list) {
  for (const std::string_view s : list) {
    if (v == s) return true;
  }
  return false;
}

bool digits_in(std::string_view s, std::string_view allowed) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (c != '_' && allowed.find(c) == std::string_view::npos) return false;
  }
  return true;
}

// [0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?  or  \.[0-9]+(...)?
bool looks_float(std::string_view s) {
  std::size_t i = 0;
  bool mantissa = false;
  while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || (s[i] == '_' && mantissa))) {
    mantissa = true;
    ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_')) {
      mantissa = true;
      ++i;
    }
  }
  if (!mantissa) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  return i == s.size();
}

Result<YamlNode> parse_yaml(std::string_view text, std::string_view what, const YamlLimits& limits, bool allow_empty);

}  // namespace

Result<YamlNode> parse_yaml_document(std::string_view text, std::string_view what, const YamlLimits& limits) {
  return parse_yaml(text, what, limits, false);
}

Result<YamlNode> parse_yaml_document_or_empty(std::string_view text, std::string_view what, const YamlLimits& limits) {
  return parse_yaml(text, what, limits, true);
}

namespace {

Result<YamlNode> parse_yaml(std::string_view text, std::string_view what, const YamlLimits& limits, bool allow_empty) {
  const std::string prefix = std::string(what) + ": ";
  TRY_STATUS(check_go_yaml_text(text, what));
  {
    // The fast path gives the same events as yaml-cpp or none; any refusal,
    // and its message, comes from yaml-cpp below.
    TreeBuilder fast(limits);
    try {
      if (parse_block_yaml(text, fast) == BlockYamlOutcome::kDelivered && fast.has_root()) {
        return std::move(fast.root());
      }
    } catch (const Abort&) {
    }
  }
  TreeBuilder builder(limits);
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const Abort&) {
    return input_error(prefix + builder.error());
  } catch (const YAML::Exception& e) {
    return input_error(prefix + "invalid YAML: " + e.msg + at_line(line_of(e.mark)));
  } catch (const std::exception& e) {
    return input_error(prefix + "cannot parse YAML: " + e.what());
  }
  if (!builder.has_root()) {
    if (allow_empty) return YamlNode{};
    return input_error(prefix + "empty document");
  }
  return std::move(builder.root());
}

}  // namespace

bool yaml11_plain_is_not_string(std::string_view v) {
  if (one_of(v, {"", "~", "null", "Null", "NULL"})) return true;
  if (one_of(v, {"y",    "Y",    "yes",   "Yes",   "YES",   "n",  "N",  "no", "No",  "NO",  "true",
                 "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"})) {
    return true;
  }
  if (one_of(v, {".nan", ".NaN", ".NAN"})) return true;
  std::string_view s = v;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (one_of(s, {".inf", ".Inf", ".INF"})) return true;
  if (s.starts_with("0b") && digits_in(s.substr(2), "01")) return true;
  if (s.starts_with("0x") && digits_in(s.substr(2), "0123456789abcdefABCDEF")) return true;
  if (s.starts_with("0o") && digits_in(s.substr(2), "01234567")) return true;
  return looks_float(s);  // also covers plain and octal integers
}

}  // namespace chartprov::yaml
