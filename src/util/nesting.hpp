#pragma once
// The one depth bound for untrusted JSON and YAML. Every recursive walk over
// such a document (canonical checks, dump, comparisons, destructors of a
// tree) recurses once per level, so a document that nests deeper than the
// stack allows crashes the process (a 400,000-level array took `trust
// update` down with SIGSEGV). Parsers refuse a document deeper than
// kMaxNestingDepth before anything walks it; no document chartprov reads
// (trust roots, bundles, manifests, policies, Chart.yaml) comes near it.
#include <cstddef>
#include <string_view>

namespace chartprov {

inline constexpr std::size_t kMaxNestingDepth = 128;

// Whether the arrays and objects of JSON text nest deeper than limit. Brackets
// inside strings do not count; text that is not JSON is scanned the same way
// (its parser refuses it afterwards). Linear, without recursion.
[[nodiscard]] bool json_nests_deeper_than(std::string_view text, std::size_t limit = kMaxNestingDepth);

}  // namespace chartprov
