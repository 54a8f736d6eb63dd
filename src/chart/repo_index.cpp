#include "chart/repo_index.hpp"

#include <yaml-cpp/emitter.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <optional>
#include <sstream>
#include <unordered_set>

#include "util/go_yaml_text.hpp"
#include "util/nesting.hpp"
#include "yaml/block_yaml.hpp"

namespace chartprov::chart {
namespace {

using yaml::BlockYamlOutcome;
using yaml::parse_block_yaml;

int line_of(const YAML::Mark& m) { return m.line >= 0 ? m.line + 1 : 0; }
std::string at_line(int line) { return line > 0 ? " (line " + std::to_string(line) + ")" : ""; }

struct Abort {};  // thrown from the callbacks to stop yaml-cpp; the message waits in the reader

// What a mapping or sequence is, from where it sits.
enum class Role { kRoot, kEntries, kVersions, kEntry, kUrls, kSkip };

class IndexReader final : public YAML::EventHandler {
 public:
  explicit IndexReader(const RepoIndexLimits& limits) : limits_(limits) {}

  void OnDocumentStart(const YAML::Mark& m) override {
    if (++documents_ > 1) fail("more than one YAML document", line_of(m));
  }
  void OnDocumentEnd() override {}
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override {
    fail("YAML aliases (*name) are not allowed", line_of(m));
  }
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { scalar(m, "?", "", true); }
  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t, const std::string& value) override {
    scalar(m, tag, value, false);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(m, false);
  }
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(m, true);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapEnd() override { close(); }

  RepoIndex& index() { return index_; }
  const std::string& error() const { return error_; }
  bool saw_root() const { return saw_root_; }
  bool saw_entries() const { return saw_entries_; }

 private:
  struct Frame {
    Role role;
    bool is_map;
    bool expect_key = true;
    std::string key;
    std::unordered_set<std::string> keys;
  };

  [[noreturn]] void fail(const std::string& message, int line) {
    error_ = message + at_line(line);
    throw Abort{};
  }

  static bool checks_keys(Role r) { return r == Role::kRoot || r == Role::kEntries || r == Role::kEntry; }

  // The role of a value arriving now (a container, or a scalar when `container` is false).
  Role role_for_value(const YAML::Mark& m, bool container, bool is_map, bool null = false) {
    if (stack_.empty()) {
      if (!container || !is_map) fail("the top level is not a mapping", line_of(m));
      saw_root_ = true;
      return Role::kRoot;
    }
    const Frame& top = stack_.back();
    switch (top.role) {
      case Role::kRoot:
        if (top.key == "entries") {
          if ((container && !is_map) || (!container && !null)) fail("entries is not a mapping", line_of(m));
          saw_entries_ = true;
          return Role::kEntries;
        }
        if (top.key == "apiVersion" && container) fail("apiVersion is not a string", line_of(m));
        return Role::kSkip;
      case Role::kEntries:
        if ((container && is_map) || (!container && !null)) {
          fail("the versions of chart '" + top.key + "' are not a list", line_of(m));
        }
        return Role::kVersions;
      case Role::kVersions:
        if (!container || !is_map) fail("an entry of chart '" + top.key + "' is not a mapping", line_of(m));
        return Role::kEntry;
      case Role::kEntry:
        if (top.key == "urls") {
          if ((container && is_map) || (!container && !null)) fail("urls is not a list", line_of(m));
          return Role::kUrls;
        }
        if (container && (top.key == "name" || top.key == "version" || top.key == "digest")) {
          fail(top.key + " is not a string", line_of(m));
        }
        return Role::kSkip;
      case Role::kUrls:
        if (container) fail("a url is not a string", line_of(m));
        return Role::kUrls;
      case Role::kSkip: return Role::kSkip;
    }
    return Role::kSkip;
  }

  // A key of the mapping on top; true when it was one.
  bool take_key(const YAML::Mark& m, const std::string& tag, const std::string& value, bool is_scalar) {
    if (stack_.empty() || !stack_.back().is_map || !stack_.back().expect_key) return false;
    Frame& top = stack_.back();
    if (!is_scalar) fail("mapping keys must be strings", line_of(m));
    if (value == "<<" && tag == "?") fail("YAML merge keys (<<) are not allowed", line_of(m));
    if (value.size() > limits_.max_field)
      fail("a key longer than " + std::to_string(limits_.max_field) + " bytes", line_of(m));
    if (checks_keys(top.role) && !top.keys.insert(value).second) fail("duplicate key '" + value + "'", line_of(m));
    top.key = value;
    top.expect_key = false;
    return true;
  }

  void value_done() {
    if (!stack_.empty() && stack_.back().is_map) stack_.back().expect_key = true;
  }

  void scalar(const YAML::Mark& m, const std::string& tag, const std::string& value, bool null) {
    if (take_key(m, tag, value, !null)) return;
    const Role role = role_for_value(m, false, false, null);
    if (value.size() > limits_.max_field)
      fail("a value longer than " + std::to_string(limits_.max_field) + " bytes", line_of(m));
    const Frame& top = stack_.back();
    if (top.role == Role::kRoot && top.key == "apiVersion") {
      index_.api_version = value;
    } else if (top.role == Role::kEntry) {
      if (top.key == "name") entry_.name = value;
      if (top.key == "version") entry_.version = value;
      if (top.key == "digest") entry_.digest = value;
    } else if (role == Role::kUrls && top.role == Role::kUrls) {
      if (null) fail("a url is empty", line_of(m));
      if (entry_.urls.size() >= limits_.max_urls)
        fail("more than " + std::to_string(limits_.max_urls) + " urls in one entry", line_of(m));
      entry_.urls.push_back(value);
    }
    value_done();
  }

  void open(const YAML::Mark& m, bool is_map) {
    if (take_key(m, "", "", false)) return;  // fails: a container as a key
    const Role role = role_for_value(m, true, is_map);
    if (role == Role::kEntry) {
      if (index_.entries.size() >= limits_.max_entries) {
        fail("more than " + std::to_string(limits_.max_entries) + " chart versions", line_of(m));
      }
      entry_ = RepoIndexEntry{};
      entry_.key = stack_.back().key;
      entry_.line = line_of(m);
    }
    if (stack_.size() >= kMaxNestingDepth) {
      fail("nesting deeper than " + std::to_string(kMaxNestingDepth) + " levels", line_of(m));
    }
    // A version list remembers its chart name (its entries and messages need it).
    std::string key = role == Role::kVersions ? stack_.back().key : std::string();
    stack_.push_back(Frame{role, is_map, true, std::move(key), {}});
  }

  void close() {
    const Role role = stack_.back().role;
    stack_.pop_back();
    if (role == Role::kEntry) index_.entries.push_back(std::move(entry_));
    value_done();
  }

  const RepoIndexLimits& limits_;
  std::vector<Frame> stack_;
  RepoIndex index_;
  RepoIndexEntry entry_;
  int documents_ = 0;
  bool saw_root_ = false;
  bool saw_entries_ = false;
  std::string error_;
};

constexpr std::string_view kPrefix = "index.yaml: ";

// What the whole index must be, once every event has been read.
Result<RepoIndex> complete(IndexReader& reader) {
  const std::string prefix(kPrefix);
  if (!reader.saw_root()) return input_error(prefix + "empty, or not a mapping");
  if (reader.index().api_version.empty()) return input_error(prefix + "no apiVersion (not a Helm repository index)");
  if (reader.index().api_version != "v1") {
    return input_error(prefix + "apiVersion " + reader.index().api_version + " is not v1");
  }
  if (!reader.saw_entries()) return input_error(prefix + "no entries: mapping (not a Helm repository index)");
  return std::move(reader.index());
}

// The block-YAML fast path, when the stream can be read again from its start
// for yaml-cpp should the fast path not deliver, or the reader refuse (its
// message then comes from yaml-cpp's events). Delivered, it is yaml-cpp's
// event stream, so the index is judged from it as from yaml-cpp's.
std::optional<Result<RepoIndex>> fast_index(std::istream& in, const RepoIndexLimits& limits) {
  const auto start = in.tellg();
  if (start == std::istream::pos_type(-1)) return std::nullopt;
  {
    IndexReader fast(limits);
    try {
      if (parse_block_yaml(in, fast) == BlockYamlOutcome::kDelivered) return complete(fast);
    } catch (const Abort&) {
    }
  }
  in.clear();
  in.seekg(start);
  return std::nullopt;
}

// helm reads index.yaml with Go's YAML too: text it would split into other lines or characters
// than yaml-cpp does (util/go_yaml_text.hpp) is refused, one line in memory at a time. The fast
// path never needs this: it delivers only for printable ASCII and LF.
Status check_index_text(std::istream& in) {
  const auto start = in.tellg();
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!in.eof()) line += '\n';
    TRY_STATUS(check_go_yaml_text(line, "index.yaml", number));
  }
  in.clear();
  in.seekg(start);
  return ok_status();
}

}  // namespace

Result<RepoIndex> parse_repo_index(std::istream& in, const RepoIndexLimits& limits) {
  const std::string prefix(kPrefix);
  if (auto fast = fast_index(in, limits)) return std::move(*fast);
  if (!in) return input_error(prefix + "cannot read it a second time");
  TRY_STATUS(check_index_text(in));
  if (!in) return input_error(prefix + "cannot read it a second time");
  IndexReader reader(limits);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(reader)) {
    }
  } catch (const Abort&) {
    return input_error(prefix + reader.error());
  } catch (const YAML::Exception& e) {
    return input_error(prefix + "invalid YAML: " + e.msg + at_line(line_of(e.mark)));
  } catch (const std::exception& e) {
    return input_error(prefix + "cannot parse YAML: " + e.what());
  }
  return complete(reader);
}

Result<RepoIndex> parse_repo_index(std::string_view text, const RepoIndexLimits& limits) {
  std::istringstream in{std::string(text)};
  return parse_repo_index(in, limits);
}

std::string write_repo_index(const std::vector<RepoIndexWriteEntry>& entries, const std::string& generated) {
  std::vector<std::string> names;
  std::map<std::string, std::vector<const RepoIndexWriteEntry*>> by_name;
  for (const auto& e : entries) {
    auto& list = by_name[e.name];
    if (list.empty()) names.push_back(e.name);
    list.push_back(&e);
  }
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "apiVersion" << YAML::Value << "v1";
  out << YAML::Key << "entries" << YAML::Value << YAML::BeginMap;
  const auto field = [&out](const char* key, const std::string& value) {
    if (!value.empty()) out << YAML::Key << key << YAML::Value << YAML::DoubleQuoted << value;
  };
  for (const auto& name : names) {
    out << YAML::Key << YAML::DoubleQuoted << name << YAML::Value << YAML::BeginSeq;
    for (const auto* e : by_name[name]) {
      out << YAML::BeginMap;
      field("apiVersion", e->api_version);
      field("appVersion", e->app_version);
      field("created", e->created);
      field("description", e->description);
      field("digest", e->digest_hex);
      field("name", e->name);
      field("type", e->type);
      out << YAML::Key << "urls" << YAML::Value << YAML::BeginSeq << YAML::DoubleQuoted << e->url << YAML::EndSeq;
      field("version", e->version);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  field("generated", generated);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::string repo_relative_path(std::string_view url) {
  if (url.empty() || url.size() > 1024 || url.front() == '/') return "";
  std::size_t start = 0;
  for (;;) {
    const std::size_t slash = url.find('/', start);
    const std::string_view part =
        url.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part.empty() || part == "." || part == "..") return "";
    for (const char c : part) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '+' || c == '-';
      if (!ok) return "";  // also ':' of a scheme, '%', '?', '#', '\\', spaces, controls
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return std::string(url);
}

}  // namespace chartprov::chart
