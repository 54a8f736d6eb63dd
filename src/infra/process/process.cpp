#include "infra/process/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

namespace chartprov::process {
namespace {

class Pipe {
 public:
  Pipe() {
    if (::pipe2(fds_, O_CLOEXEC) != 0) fds_[0] = fds_[1] = -1;
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  bool ok() const { return fds_[0] >= 0; }
  int read_end() const { return fds_[0]; }
  int write_end() const { return fds_[1]; }
  void close_read() {
    if (fds_[0] >= 0) ::close(fds_[0]);
    fds_[0] = -1;
  }
  void close_write() {
    if (fds_[1] >= 0) ::close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2] = {-1, -1};
};

class SpawnActions {
 public:
  SpawnActions() { posix_spawn_file_actions_init(&a_); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&a_); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  posix_spawn_file_actions_t* get() { return &a_; }

 private:
  posix_spawn_file_actions_t a_{};
};

// The child starts with default signal handling and an empty signal mask,
// whatever the parent ignores or blocks (an inherited SIG_IGN for SIGPIPE
// would survive exec and change how the child reacts to a closed pipe).
class SpawnAttr {
 public:
  SpawnAttr() {
    posix_spawnattr_init(&a_);
    sigset_t defaults, empty;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigemptyset(&empty);
    posix_spawnattr_setsigdefault(&a_, &defaults);
    posix_spawnattr_setsigmask(&a_, &empty);
    posix_spawnattr_setflags(&a_, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  }
  ~SpawnAttr() { posix_spawnattr_destroy(&a_); }
  SpawnAttr(const SpawnAttr&) = delete;
  SpawnAttr& operator=(const SpawnAttr&) = delete;
  const posix_spawnattr_t* get() const { return &a_; }

 private:
  posix_spawnattr_t a_{};
};

// Writing to a child that has already exited raises SIGPIPE. It is blocked
// in this thread while the child runs, and one we caused is consumed, so
// the process's own disposition of SIGPIPE is never changed.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    was_pending_ = ::sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
    ::pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeBlock() {
    sigset_t pending;
    sigemptyset(&pending);
    if (!was_pending_ && ::sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
      const timespec zero{0, 0};
      while (::sigtimedwait(&pipe_, nullptr, &zero) < 0 && errno == EINTR) {
      }
    }
    ::pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t pipe_{};
  sigset_t old_{};
  bool was_pending_ = false;
};

// The inherited environment (none when !inherit), where extra ("NAME=value")
// replaces any inherited variable of the same name (getenv would find the
// first one).
std::vector<char*> child_environment(const std::vector<std::string>& extra, bool inherit) {
  std::vector<char*> env;
  for (char** e = environ; inherit && e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const std::string_view name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const auto& x : extra) replaced = replaced || std::string_view(x).substr(0, x.find('=')) == name;
    if (!replaced) env.push_back(*e);
  }
  for (const auto& x : extra) env.push_back(const_cast<char*>(x.c_str()));
  env.push_back(nullptr);
  return env;
}

void kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

Result<ProcessResult> run_process(const std::vector<std::string>& argv, ByteView stdin_data,
                                  const ProcessLimits& limits) {
  if (argv.empty()) return internal_error("run_process: empty argv");
  Pipe in, out, err;
  if (!in.ok() || !out.ok() || !err.ok()) return internal_error("cannot create pipes");
  SpawnActions actions;
  posix_spawn_file_actions_adddup2(actions.get(), in.read_end(), 0);
  posix_spawn_file_actions_adddup2(actions.get(), out.write_end(), 1);
  posix_spawn_file_actions_adddup2(actions.get(), err.write_end(), 2);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  // Descriptors the parent opened without O_CLOEXEC (its own or a
  // library's) are not the child's business.
  posix_spawn_file_actions_addclosefrom_np(actions.get(), 3);
#endif

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> env = child_environment(limits.extra_env, limits.inherit_env);

  const SigpipeBlock no_sigpipe;
  const SpawnAttr attr;
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, args[0], actions.get(), attr.get(), args.data(), env.data());
  if (rc != 0) return input_error("cannot run " + argv[0] + ": " + std::strerror(rc));
  in.close_read();
  out.close_write();
  err.close_write();
  ::fcntl(in.write_end(), F_SETFL, O_NONBLOCK);

  ProcessResult result;
  std::size_t written = 0;
  if (stdin_data.empty()) in.close_write();
  const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill_and_reap(pid);
      return input_error(argv[0] + " timed out after " + std::to_string(limits.timeout.count()) + " ms");
    }
    pollfd fds[3];
    nfds_t n = 0;
    if (out_open) fds[n++] = {out.read_end(), POLLIN, 0};
    if (err_open) fds[n++] = {err.read_end(), POLLIN, 0};
    const bool writing = in.write_end() >= 0;
    if (writing) fds[n++] = {in.write_end(), POLLOUT, 0};
    const int ready = ::poll(fds, n, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) {
      kill_and_reap(pid);
      return internal_error("poll failed");
    }
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (writing && fds[i].fd == in.write_end()) {
        const ssize_t w = ::write(in.write_end(), stdin_data.data() + written, stdin_data.size() - written);
        if (w > 0) written += static_cast<std::size_t>(w);
        if (w < 0 && errno != EAGAIN && errno != EINTR) written = stdin_data.size();  // child closed stdin
        if (written >= stdin_data.size()) in.close_write();
        continue;
      }
      const bool is_out = fds[i].fd == out.read_end();
      const ssize_t r = ::read(fds[i].fd, buf, sizeof buf);
      if (r <= 0) {
        if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        (is_out ? out_open : err_open) = false;
        continue;
      }
      std::string& sink = is_out ? result.out : result.err;
      const std::size_t cap = is_out ? limits.max_stdout : limits.max_stderr;
      if (sink.size() + static_cast<std::size_t>(r) > cap) {
        kill_and_reap(pid);
        return input_error(argv[0] + " wrote more than " + std::to_string(cap) + " bytes");
      }
      sink.append(buf, static_cast<std::size_t>(r));
    }
  }
  // Both pipes are closed, but a child may close them and keep running:
  // the deadline still holds while we wait for it.
  int status = 0;
  for (;;) {
    const pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) return internal_error("waitpid failed");
    if (std::chrono::steady_clock::now() >= deadline) {
      kill_and_reap(pid);
      return input_error(argv[0] + " timed out after " + std::to_string(limits.timeout.count()) + " ms");
    }
    ::usleep(1000);
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  return result;
}

}  // namespace chartprov::process
