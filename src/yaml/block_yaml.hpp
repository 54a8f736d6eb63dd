#pragma once
// A fast path for the YAML that charts are made of. Chart.yaml, the signed
// metadata of a .prov and a repository's index.yaml are nearly always plain
// block YAML as helm and Go's yaml.Marshal write it: mappings and sequences
// by indentation, single-line plain or quoted scalars, comments. yaml-cpp
// parses them at ~0.7 M instructions each, more than the signature check.
//
// parse_block_yaml hands a YAML::EventHandler exactly the events yaml-cpp's
// parser would give it for the same text -- the same kinds, values, tags and
// marks (line, column, byte offset) in the same order -- or says
// kUnsupported as soon as the text leaves the subset it knows, and the caller
// parses the text again with yaml-cpp. It never decides anything itself:
// every check stays in the handlers, which see the same events either way.
// fuzz/block_yaml_fuzz.cpp compares both parsers' event streams.
//
// The subset: ASCII 0x20-0x7e and LF only (no tabs, CR, control or non-ASCII
// bytes anywhere, comments included); one document whose root is a block
// mapping at column 0; keys that are plain ([A-Za-z0-9_/][A-Za-z0-9_./-]*,
// not null) or quoted on one line; values that are plain scalars on one line,
// quoted scalars without escapes on one line, or nested block mappings and
// sequences (including a sequence at its key's indentation); nesting at most
// 64 deep. Anything else -- flow collections, block scalars (| >), anchors,
// aliases, tags, directives, document markers, multi-line scalars, "? "
// keys, "- - " -- is kUnsupported, and so is anything yaml-cpp would refuse.
#include <istream>
#include <string_view>

namespace YAML {
class EventHandler;
}

namespace chartprov::yaml {

enum class BlockYamlOutcome {
  kDelivered,    // the handler received the whole event stream yaml-cpp gives
  kUnsupported,  // the handler may have received a prefix: discard it and use yaml-cpp
};

// Exceptions thrown by the handler propagate unchanged.
BlockYamlOutcome parse_block_yaml(std::string_view text, YAML::EventHandler& handler);
// The same over a stream, one line in memory at a time.
BlockYamlOutcome parse_block_yaml(std::istream& in, YAML::EventHandler& handler);

}  // namespace chartprov::yaml
