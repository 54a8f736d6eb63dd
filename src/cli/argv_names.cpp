#include "cli/argv_names.hpp"

#include <algorithm>

namespace chartprov::cli {

ArgvNames::ArgvNames(int argc, const char* const* argv) {
  bool positional = false;  // after a lone "--"
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    positional = positional || a == "--";
    if (a == "--help" || a == "--help-all") all_ = true;
    // "--name" or "--name=value"; a lone "--" names nothing. Tokens after it are positional
    // to CLI11, so building their options too changes nothing.
    if (a.size() > 2 && a.starts_with("--")) names_.push_back(a.substr(0, a.find('=')));
    // Anything else with one leading dash ("-h", a cluster, "-1"): CLI11 reads such tokens by its
    // own rules (it took "-h-keyring=k" for --keyring), so every option is built.
    if (!positional && a.size() > 1 && a[0] == '-' && a[1] != '-') all_ = true;
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
