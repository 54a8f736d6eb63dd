// `chartprov log serve ...`: runs `chartprov-log serve ...` in its place, with
// the arguments verbatim (the helper parses them and owns --help).
#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "app/helpers/helper_path.hpp"
#include "cli/log_command.hpp"
#include "cli/output.hpp"
#include "infra/process/replace_process.hpp"

namespace chartprov::cli {

bool is_log_helper_command(int argc, const char* const* argv) {
  return argc >= 3 && std::string_view(argv[1]) == "log" && std::string_view(argv[2]) == "serve";
}

int exec_log_helper(int argc, const char* const* argv) {
  const auto path = app::log_helper_path();
  if (!path) return report_error(path.error());
  std::vector<std::string> args{"chartprov-log"};
  for (int i = 2; i < argc; ++i) args.emplace_back(argv[i]);
  return report_error(process::replace_process(*path, args).error());
}

Runner add_log_serve_command(CLI::App& log) {
  auto* cmd = log.add_subcommand(
      "serve",
      "Serve the transparency log: --listen IP:PORT --db sqlite:FILE|postgresql://... --key LOGKEY "
      "[--origin NAME] (run by the chartprov-log helper; chartprov log serve --help for its options)");
  cmd->prefix_command();
  cmd->allow_extras();
  cmd->set_help_flag();
  return [cmd] {
    // Reached only when the command line did not start `chartprov log serve` (main runs that
    // as the helper before parsing): give the helper what CLI11 left.
    std::vector<std::string> rest = cmd->remaining();
    std::vector<const char*> argv{"chartprov", "log", "serve"};
    for (const std::string& a : rest) argv.push_back(a.c_str());
    return exec_log_helper(static_cast<int>(argv.size()), argv.data());
  };
}

}  // namespace chartprov::cli
