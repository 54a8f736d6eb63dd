// `chartprov log <subcommand>`: the transparency log's command group. Each
// subcommand registers itself through its LogSubcommandAdder (log_command.hpp).
#include "cli/log_command.hpp"

#include <CLI/CLI.hpp>
#include <memory>
#include <utility>
#include <vector>

#include "cli/log_monitor_command.hpp"
#include "cli/log_trusted_root_command.hpp"
#include "cli/log_witness_command.hpp"
#include "cli/output.hpp"

namespace chartprov::cli {

Runner add_log_command(CLI::App& app) {
  auto* log = app.add_subcommand("log", "Run and follow chartprov's transparency log of signing events");
  log->require_subcommand(1);
  static constexpr LogSubcommandAdder kSubcommands[] = {
      add_log_serve_command,
      add_log_trusted_root_command,
      add_log_monitor_command,
      add_log_witness_command,
  };
  auto runners = std::make_shared<std::vector<std::pair<CLI::App*, Runner>>>();
  for (const LogSubcommandAdder adder : kSubcommands) {
    const auto before = log->get_subcommands({}).size();
    Runner r = adder(*log);
    runners->emplace_back(log->get_subcommands({})[before], std::move(r));
  }
  return [runners] {
    for (auto& [cmd, runner] : *runners) {
      if (cmd->parsed()) return runner();
    }
    return kExitError;
  };
}

}  // namespace chartprov::cli
