#pragma once
// `chartprov-log serve --listen IP:PORT --db URL --key LOGKEY [--origin NAME]
// [--batch-size N] [--batch-wait-ms T] [--workers N] ...`: the transparency
// log's server (server/log_service.hpp over app::log::Sequencer and the store
// open_log_store opens). `chartprov log serve` runs it in its own place.
namespace chartprov::logtool {

// argv[0] is the subcommand's name ("serve"); returns the exit code.
int serve_command(int argc, char** argv);

}  // namespace chartprov::logtool
