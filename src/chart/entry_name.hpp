#pragma once
// The rules for one member name of a chart archive: relative, '/'-separated,
// no empty, "." or ".." components, no backslash, NUL or control character,
// within the length and depth limits. A directory may end in one '/'.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace chartprov::chart {

// The components of a valid name (views into `name`), or why it is not valid (naming it).
Result<std::vector<std::string_view>> split_entry_name(std::string_view name, bool is_dir, std::size_t max_length,
                                                       std::size_t max_depth);

}  // namespace chartprov::chart
