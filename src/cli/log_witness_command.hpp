#pragma once
// `chartprov log witness`: a C2SP tlog-witness (cli/log_witness_command.cpp).
#include "cli/commands.hpp"

namespace CLI {
class App;
}

namespace chartprov::cli {

Runner add_log_witness_command(CLI::App& log);

}  // namespace chartprov::cli
