#include "cli/argv_names.hpp"

#include <algorithm>

namespace chartprov::cli {

ArgvNames::ArgvNames(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "-h" || a == "--help" || a == "--help-all") all_ = true;
    // "--name" or "--name=value"; a lone "--" names nothing. Tokens after it are positional
    // to CLI11, so building their options too changes nothing.
    if (a.size() > 2 && a.starts_with("--")) names_.push_back(a.substr(0, a.find('=')));
  }
}

ArgvNames ArgvNames::all() {
  ArgvNames n;
  n.all_ = true;
  return n;
}

bool ArgvNames::has(std::string_view name) const {
  // Only a single long name can be looked for; anything else ("-o,--output") is always built.
  if (all_ || !name.starts_with("--") || name.find(',') != std::string_view::npos) return true;
  return std::find(names_.begin(), names_.end(), name) != names_.end();
}

}  // namespace chartprov::cli
