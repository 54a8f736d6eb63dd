#pragma once
// Both YAML parsers' event streams as text, one event a line with its mark,
// so that the block-YAML fast path can be compared with yaml-cpp (unit tests
// and fuzz/block_yaml_fuzz.cpp).
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "yaml/block_yaml.hpp"

namespace chartprov::test {

class YamlEventRecorder final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& m) override { add("doc", m); }
  void OnDocumentEnd() override { out_ += "end-doc\n"; }
  void OnNull(const YAML::Mark& m, YAML::anchor_t a) override { add("null", m, "", a); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t a) override { add("alias", m, "", a); }
  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t a, const std::string& value) override {
    add("scalar", m, tag, a);
    out_ += " [" + value + "]\n";
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t a,
                       YAML::EmitterStyle::value style) override {
    add("seq", m, tag, a);
    out_ += " style " + std::to_string(style) + "\n";
  }
  void OnSequenceEnd() override { out_ += "end-seq\n"; }
  void OnMapStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t a,
                  YAML::EmitterStyle::value style) override {
    add("map", m, tag, a);
    out_ += " style " + std::to_string(style) + "\n";
  }
  void OnMapEnd() override { out_ += "end-map\n"; }

  const std::string& text() const { return out_; }

 private:
  void add(const char* what, const YAML::Mark& m, const std::string& tag = "", YAML::anchor_t a = 0) {
    out_ +=
        std::string(what) + " " + std::to_string(m.line) + ":" + std::to_string(m.column) + "@" + std::to_string(m.pos);
    if (!tag.empty()) out_ += " tag " + tag;
    if (a != 0) out_ += " anchor " + std::to_string(a);
    if (std::string_view(what) == "doc" || std::string_view(what) == "null" || std::string_view(what) == "alias") {
      out_ += "\n";
    }
  }
  std::string out_;
};

// yaml-cpp's events for the text; nullopt when it throws (the text is not YAML to it).
inline std::optional<std::string> yaml_cpp_events(std::string_view text) {
  YamlEventRecorder r;
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(r)) {
    }
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return r.text();
}

// The fast path's events; nullopt when it says kUnsupported.
inline std::optional<std::string> block_yaml_events(std::string_view text) {
  YamlEventRecorder r;
  if (yaml::parse_block_yaml(text, r) != yaml::BlockYamlOutcome::kDelivered) return std::nullopt;
  return r.text();
}

inline std::optional<std::string> block_yaml_stream_events(std::string_view text) {
  YamlEventRecorder r;
  std::istringstream in{std::string(text)};
  if (yaml::parse_block_yaml(in, r) != yaml::BlockYamlOutcome::kDelivered) return std::nullopt;
  return r.text();
}

}  // namespace chartprov::test
