#pragma once
// `chartprov log trusted-root`: registered on the `log` command group
// (log_command.cpp lists it).
#include "cli/commands.hpp"

namespace CLI {
class App;
}

namespace chartprov::cli {

Runner add_log_trusted_root_command(CLI::App& log);

}  // namespace chartprov::cli
