#pragma once
// Running another program in place of this process (execv: same PID, no
// shell, argv as given), for a command that is a helper's: `chartprov log
// serve` is `chartprov-log serve`, so that the PID a supervisor started is the
// server's and its signals reach the server.
#include <string>
#include <vector>

#include "util/result.hpp"

namespace chartprov::process {

// argv[0] is what the program sees as its name; `path` is run (no PATH
// search). Returns only on failure ("cannot run PATH: <errno text>").
Status replace_process(const std::string& path, const std::vector<std::string>& argv);

}  // namespace chartprov::process
