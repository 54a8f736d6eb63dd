#pragma once
// Running a program in the caller's place (the deploy gate runs helm this
// way): it shares our stdin, stdout and stderr, has no time limit, and its
// exit code becomes ours. argv only, never a shell.
#include <string>
#include <vector>

#include "util/result.hpp"

namespace chartprov::process {

// argv[0] without a '/' is looked up in PATH. While the child runs, SIGINT
// and SIGQUIT (which a terminal sends to the whole process group, so the
// child gets them too) are ignored here, and SIGTERM and SIGHUP are passed
// on to the child: either way we outlive it and the caller can clean up.
// The child starts with default signal handling and an empty mask, and
// inherits no descriptor beyond 0-2.
// Returns the child's exit code, or 128 + N when signal N ended it.
// Errors: the program cannot be started.
Result<int> run_attached(const std::vector<std::string>& argv);

}  // namespace chartprov::process
