#pragma once
// The signals of a long-running command (`serve`, `admission`): SIGTERM and
// SIGINT stop it gracefully, SIGHUP reloads. They are taken by one thread
// (sigtimedwait), never by a handler: block them before any thread starts,
// so that every thread inherits the mask.
#include <signal.h>

#include <atomic>
#include <functional>

#include "util/result.hpp"

namespace chartprov::cli {

// SIGTERM, SIGINT and SIGHUP, blocked in the calling thread.
sigset_t block_server_signals();

struct SignalActions {
  const char* command;             // "chartprov serve": the prefix of every line on stderr
  std::function<void()> stop;      // SIGTERM, SIGINT: once, then the wait ends
  std::function<Status()> reload;  // SIGHUP: its failure is reported, the server keeps its previous state
};

// Waits for the signals in `set` until one stops the server or `done` is set.
void handle_server_signals(const sigset_t& set, const SignalActions& actions, const std::atomic<bool>& done);

}  // namespace chartprov::cli
