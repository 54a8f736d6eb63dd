#pragma once
// What CLI11 makes of `chartprov verify ARGS...`, as one string: the error (its kind and message)
// or every option given with its values, in the order the command defines them. The runner is
// not run. For comparing the verify command built whole with the one built from the names on its
// command line (cli/argv_names.hpp): tests/cli and fuzz/argv_names_fuzz.cpp.
#include <string>
#include <vector>

namespace chartprov::cli {

std::string probe_verify_parse(const std::vector<std::string>& args, bool sieved);

}  // namespace chartprov::cli
