#pragma once
// values.yaml read into the data Helm stores as a release's chart.values
// (helm pkg/chart/v2/loader/load.go LoadValues: sigs.k8s.io/yaml, which reads
// YAML 1.1 with go-yaml v2 and converts it to JSON). Plain scalars resolve as
// go-yaml v2 resolves them: null (~, null, empty), bool (y/yes/on/true and
// their negatives, in the three spellings), int (decimal, 0x, 0o, 0b, leading
// 0 octal, '_' ignored), float, else string; quoted scalars and !!str are
// strings; keys are their text (a bool key is "true"/"false").
//
// Refused, each with a message naming the line where known: text Go's YAML
// reads differently (util/go_yaml_text.hpp), more than one YAML document
// (Helm merges them; not reproduced), aliases and merge keys, duplicate keys,
// nesting deeper than kMaxNestingDepth, more than YamlLimits::max_nodes
// nodes, .inf and .nan (not representable in JSON, so Helm cannot store
// them), any other explicit tag (!!binary, !!int, custom tags), and a
// document that is not a mapping. An empty document is an empty mapping.
#include <nlohmann/json.hpp>
#include <string_view>

#include "util/result.hpp"

namespace chartprov::chart {

Result<nlohmann::json> parse_values_yaml(std::string_view text);

}  // namespace chartprov::chart
