// writeall, the one write loop: every byte arrives in order through short writes (a blocking
// write to a pipe that a signal interrupts after part of the buffer returns the part), and a
// write that fails gives its errno, never a crash.
#include "util/writeall.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <string>
#include <thread>

namespace chartprov {
namespace {

std::atomic<int> g_interrupts{0};
void count_interrupt(int /*signal*/) { g_interrupts.fetch_add(1); }

struct Pipe {
  int read_end = -1;
  int write_end = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) == 0) read_end = fds[0], write_end = fds[1];
  }
  ~Pipe() {
    if (read_end >= 0) ::close(read_end);
    if (write_end >= 0) ::close(write_end);
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
};

// SIGALRM every millisecond, without SA_RESTART: a write blocked on a full pipe returns early,
// short (some bytes taken) or with EINTR (none), as on a terminal resized during a prompt.
class Interrupts {
 public:
  Interrupts() {
    struct sigaction sa {};
    sa.sa_handler = count_interrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    ::sigaction(SIGALRM, &sa, &old_);
    const itimerval every_ms{{0, 1000}, {0, 1000}};
    ::setitimer(ITIMER_REAL, &every_ms, nullptr);
  }
  ~Interrupts() {
    const itimerval off{};
    ::setitimer(ITIMER_REAL, &off, nullptr);
    ::sigaction(SIGALRM, &old_, nullptr);
  }
  Interrupts(const Interrupts&) = delete;
  Interrupts& operator=(const Interrupts&) = delete;

 private:
  struct sigaction old_ {};
};

TEST(WriteAll, EveryByteArrivesInOrderThroughShortWrites) {
  Pipe p;
  ASSERT_GE(p.write_end, 0);
  ::fcntl(p.write_end, F_SETPIPE_SZ, 4096);  // a small pipe: the writer blocks often
  std::string data(4u << 20, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7 + i / 4096);

  // The reader drains slowly and never takes the signal, so the writer is the one interrupted.
  sigset_t alarm;
  sigemptyset(&alarm);
  sigaddset(&alarm, SIGALRM);
  ::pthread_sigmask(SIG_BLOCK, &alarm, nullptr);
  std::string got;
  std::thread reader([&] {
    char buf[1024];
    for (;;) {
      const ssize_t n = ::read(p.read_end, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
      if (got.size() % (256 * 1024) < sizeof buf) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  ::pthread_sigmask(SIG_UNBLOCK, &alarm, nullptr);

  g_interrupts = 0;
  int err = -1;
  {
    const Interrupts interrupts;
    err = writeall(p.write_end, data);
  }
  ::close(p.write_end);
  p.write_end = -1;
  reader.join();

  EXPECT_EQ(err, 0);
  EXPECT_GT(g_interrupts.load(), 0);  // the write was interrupted: short writes were taken
  ASSERT_EQ(got.size(), data.size());
  EXPECT_TRUE(got == data);
}

TEST(WriteAll, AFailedWriteGivesItsErrno) {
  Pipe p;
  ASSERT_GE(p.read_end, 0);
  ::close(p.read_end);
  p.read_end = -1;
  struct sigaction ignore {
  }, old{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old);
  EXPECT_EQ(writeall(p.write_end, std::string_view("no reader")), EPIPE);
  ::sigaction(SIGPIPE, &old, nullptr);

  EXPECT_EQ(writeall(-1, std::string_view("x")), EBADF);
  const int read_only = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(read_only, 0);
  EXPECT_EQ(writeall(read_only, std::string_view("x")), EBADF);
  ::close(read_only);
}

TEST(WriteAll, NothingToWriteIsDone) {
  EXPECT_EQ(writeall(-1, std::string_view()), 0);  // no call at all: not even a bad descriptor fails
}

}  // namespace
}  // namespace chartprov
