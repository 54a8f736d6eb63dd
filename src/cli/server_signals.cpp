#include "cli/server_signals.hpp"

#include <pthread.h>

#include <cstdio>
#include <ctime>

namespace chartprov::cli {

sigset_t block_server_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

void handle_server_signals(const sigset_t& set, const SignalActions& actions, const std::atomic<bool>& done) {
  const timespec tick{0, 200L * 1000 * 1000};
  while (!done.load()) {
    const int sig = ::sigtimedwait(&set, nullptr, &tick);
    if (sig == SIGTERM || sig == SIGINT) {
      std::fprintf(stderr, "%s: %s: stopping (answering the requests in progress)\n", actions.command,
                   sig == SIGTERM ? "SIGTERM" : "SIGINT");
      actions.stop();
      return;
    }
    if (sig == SIGHUP) {
      const auto st = actions.reload();
      if (st) {
        std::fprintf(stderr, "%s: SIGHUP: reloaded\n", actions.command);
      } else {
        std::fprintf(stderr,
                     "%s: SIGHUP: reload failed, the previous state stays (not healthy until a reload works): %s\n",
                     actions.command, st.error().message.c_str());
      }
    }
  }
}

}  // namespace chartprov::cli
