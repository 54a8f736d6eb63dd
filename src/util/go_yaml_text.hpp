#pragma once
// Where Go's YAML and JSON libraries -- through which helm reads Chart.yaml
// (sigs.k8s.io/yaml: go-yaml, then encoding/json into helm's Metadata) --
// and yaml-cpp could read the same bytes as different text or different
// field names. Each rule is listed, with what helm does, in
// docs/CHART-YAML.md. chartprov refuses such input instead of guessing which
// reading a later tool takes.
#include <string_view>

#include "util/result.hpp"

namespace chartprov {

// Refuses YAML text that Go's YAML and yaml-cpp could split into different
// lines or characters (the first offence, with its 1-based line as yaml-cpp
// counts it):
//  - bytes that are not UTF-8 (overlong forms, surrogates and values past
//    U+10FFFF included);
//  - U+0085, U+2028, U+2029: line breaks to Go's YAML, ordinary characters
//    to yaml-cpp ("# note<U+2028>name: x" ends the comment for helm only);
//  - a CR that is not part of CRLF;
//  - U+FEFF anywhere but as the first character;
//  - characters Go's YAML refuses: C0 controls other than TAB, LF and CR,
//    DEL, C1 controls, U+FFFE and U+FFFF.
// `what` names the input in the message ("Chart.yaml"). For a stream read
// line by line (index.yaml), pass each line with its LF and its number as
// first_line: a byte order mark is allowed only at the start of line 1.
[[nodiscard]] Status check_go_yaml_text(std::string_view text, std::string_view what, int first_line = 1);

// Whether Go's encoding/json decodes a JSON object key into the struct field
// named `field`: keys match when equal under Unicode simple case folding
// (bytes.EqualFold), so besides ASCII case, U+017F (long s) stands for 's'
// and U+212A (Kelvin sign) for 'k' ("ver<U+017F>ion" sets Version). `field` must be
// ASCII; a key that is not UTF-8 never matches.
[[nodiscard]] bool go_json_key_matches(std::string_view key, std::string_view field);

}  // namespace chartprov
