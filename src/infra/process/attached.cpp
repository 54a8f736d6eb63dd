#include "infra/process/attached.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace chartprov::process {
namespace {

volatile sig_atomic_t g_child = 0;    // the running child, 0 before it started
volatile sig_atomic_t g_pending = 0;  // a signal that came before it started

extern "C" void forward_signal(int sig) {
  if (g_child > 0) {
    ::kill(static_cast<pid_t>(g_child), sig);
  } else {
    g_pending = sig;
  }
}

constexpr std::array kIgnored{SIGINT, SIGQUIT};
constexpr std::array kForwarded{SIGTERM, SIGHUP};

// Our handlers for the child's lifetime; the previous ones come back after.
class SignalGuard {
 public:
  SignalGuard() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    struct sigaction forward {};
    forward.sa_handler = forward_signal;
    sigemptyset(&forward.sa_mask);
    for (std::size_t i = 0; i < kIgnored.size(); ++i) ::sigaction(kIgnored[i], &ignore, &old_ignored_[i]);
    for (std::size_t i = 0; i < kForwarded.size(); ++i) ::sigaction(kForwarded[i], &forward, &old_forwarded_[i]);
  }
  ~SignalGuard() {
    for (std::size_t i = 0; i < kIgnored.size(); ++i) ::sigaction(kIgnored[i], &old_ignored_[i], nullptr);
    for (std::size_t i = 0; i < kForwarded.size(); ++i) ::sigaction(kForwarded[i], &old_forwarded_[i], nullptr);
    g_child = 0;
    g_pending = 0;
  }
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;

 private:
  std::array<struct sigaction, kIgnored.size()> old_ignored_{};
  std::array<struct sigaction, kForwarded.size()> old_forwarded_{};
};

class SpawnSetup {
 public:
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions_);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    posix_spawn_file_actions_addclosefrom_np(&actions_, 3);
#endif
    posix_spawnattr_init(&attr_);
    sigset_t defaults, empty;
    sigemptyset(&defaults);
    for (const int s : {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE}) sigaddset(&defaults, s);
    sigemptyset(&empty);
    posix_spawnattr_setsigdefault(&attr_, &defaults);
    posix_spawnattr_setsigmask(&attr_, &empty);
    posix_spawnattr_setflags(&attr_, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions_);
    posix_spawnattr_destroy(&attr_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
  const posix_spawn_file_actions_t* actions() const { return &actions_; }
  const posix_spawnattr_t* attr() const { return &attr_; }

 private:
  posix_spawn_file_actions_t actions_{};
  posix_spawnattr_t attr_{};
};

}  // namespace

Result<int> run_attached(const std::vector<std::string>& argv) {
  if (argv.empty() || argv[0].empty()) return internal_error("run_attached: empty argv");
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const SpawnSetup setup;
  const SignalGuard guard;
  pid_t pid = 0;
  const bool search = argv[0].find('/') == std::string::npos;
  const int rc = search ? ::posix_spawnp(&pid, args[0], setup.actions(), setup.attr(), args.data(), environ)
                        : ::posix_spawn(&pid, args[0], setup.actions(), setup.attr(), args.data(), environ);
  if (rc != 0) return input_error("cannot run " + argv[0] + ": " + std::strerror(rc));
  g_child = pid;
  if (g_pending != 0) ::kill(pid, g_pending);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return internal_error("waitpid failed: " + std::string(std::strerror(errno)));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

}  // namespace chartprov::process
