#pragma once
// `chartprov log ...`: the transparency log's commands, one registration
// function per subcommand (each in its own file), listed in log_command.cpp.
#include "cli/commands.hpp"

namespace CLI {
class App;
}

namespace chartprov::cli {

// Registers one subcommand on the `log` command group; returns its runner.
using LogSubcommandAdder = Runner (*)(CLI::App& log);

// `log serve`: the server is the chartprov-log helper's (database drivers are dynamic
// libraries the static chartprov does not carry): listed here for --help, run by
// exec_log_helper.
Runner add_log_serve_command(CLI::App& log);

// Whether argv is `chartprov log serve ...`, which runs as the helper with argv verbatim.
bool is_log_helper_command(int argc, const char* const* argv);
// Runs `chartprov-log <argv[2]> <argv[3]> ...` in place of this process (execv: the PID
// stays the one started, signals reach the server). Returns only on failure, with the
// exit code after reporting it.
int exec_log_helper(int argc, const char* const* argv);

}  // namespace chartprov::cli
