#pragma once
// Shell glob matching with the semantics of Go's path/filepath.Match on Unix,
// which Helm's .helmignore uses: '*' matches any run of non-'/' bytes, '?'
// one non-'/' character, '[...]' a character class ('^' negates, 'a-z'
// ranges), '\' escapes the next character. The whole pattern must match the
// whole name.
#include <string_view>

#include "util/result.hpp"

namespace chartprov {

// Refuses a malformed pattern (unclosed or empty class, trailing '\', bad
// range, invalid UTF-8 inside a class), anywhere in the pattern.
Status check_glob(std::string_view pattern);

// Whether `name` matches `pattern`; a malformed pattern matches nothing.
bool glob_match(std::string_view pattern, std::string_view name);

}  // namespace chartprov
