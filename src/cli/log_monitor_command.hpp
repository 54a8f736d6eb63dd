#pragma once
// `chartprov log monitor` (app/log/monitor.hpp): registered on the `log`
// command group by cli/log_command.cpp, one registration function per subcommand.
#include "cli/commands.hpp"

namespace CLI {
class App;
}

namespace chartprov::cli {

// --log URL --trust-dir D --state FILE [--log-key F --origin NAME] [--watch GLOB]... [--once]
// [--interval S] [--timeout S] [--trust-state F] and the event sink options.
Runner add_log_monitor_command(CLI::App& log);

}  // namespace chartprov::cli
