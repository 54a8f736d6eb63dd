// chartprov-log: the dynamic helper that links the database drivers (SQLite,
// libpq), which the static chartprov never carries (app/log/log_store.hpp).
// A dispatcher only: each subcommand is one file in src/logtool/.
#include <cstdio>
#include <string_view>

#include "logtool/record_event_command.hpp"
#include "logtool/serve_command.hpp"

namespace {

constexpr const char* kUsage =
    "usage: chartprov-log COMMAND ...\n"
    "  serve --listen IP:PORT --db URL --key LOGKEY [--origin NAME] ...   the transparency log's server\n"
    "  record-event [--db postgresql://...]   one decision event (JSON on stdin) into chartprov_events\n";

}  // namespace

int main(int argc, char** argv) {
  const std::string_view command = argc > 1 ? argv[1] : "";
  if (command == "serve") return chartprov::logtool::serve_command(argc - 1, argv + 1);
  if (command == "record-event") return chartprov::logtool::record_event_command(argc - 1, argv + 1);
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::fputs(kUsage, stderr);
  return 2;
}
