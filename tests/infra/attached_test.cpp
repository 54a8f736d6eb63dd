// run_attached: the child shares our descriptors, its exit code (or its
// killing signal) is returned, PATH is searched for a bare name, and a
// SIGTERM sent to us reaches the child instead of killing us.
#include "infra/process/attached.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <string>

#include "support/test_support.hpp"

using namespace chartprov;
using process::run_attached;

namespace {

// Points fd 1 at a file for the life of the object.
class StdoutToFile {
 public:
  explicit StdoutToFile(const std::filesystem::path& file) {
    std::fflush(stdout);
    saved_ = ::dup(1);
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 1);
    ::close(fd);
  }
  ~StdoutToFile() {
    std::fflush(stdout);
    ::dup2(saved_, 1);
    ::close(saved_);
  }
  StdoutToFile(const StdoutToFile&) = delete;
  StdoutToFile& operator=(const StdoutToFile&) = delete;

 private:
  int saved_ = -1;
};

}  // namespace

TEST(Attached, ReturnsTheExitCode) {
  EXPECT_EQ(*run_attached({"/bin/sh", "-c", "exit 0"}), 0);
  EXPECT_EQ(*run_attached({"/bin/sh", "-c", "exit 7"}), 7);
}

TEST(Attached, ASignalEndingTheChildIs128PlusIt) {
  EXPECT_EQ(*run_attached({"/bin/sh", "-c", "kill -KILL $$"}), 128 + SIGKILL);
}

TEST(Attached, SearchesPathForABareName) {
  const auto r = run_attached({"true"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, 0);
  const auto missing = run_attached({"chartprov-no-such-program-here"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("cannot run chartprov-no-such-program-here"), std::string::npos);
  EXPECT_FALSE(run_attached({"/nonexistent/helm"}).ok());
}

TEST(Attached, TheChildWritesToOurStdout) {
  test::TempDir dir;
  {
    const StdoutToFile redirect(dir / "out");
    EXPECT_EQ(*run_attached({"/bin/echo", "from the child"}), 0);
  }
  EXPECT_EQ(test::read_text(dir / "out"), "from the child\n");
}

TEST(Attached, ATermSentToUsIsPassedToTheChildAndWeSurvive) {
  // The child sends SIGTERM to its parent (us), then waits to be ended by it.
  const auto r = run_attached({"/bin/sh", "-c", "kill -TERM $PPID; exec sleep 30"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 128 + SIGTERM);
  // Our own disposition is back: default for SIGTERM.
  struct sigaction now {};
  ::sigaction(SIGTERM, nullptr, &now);
  EXPECT_EQ(now.sa_handler, SIG_DFL);
}

TEST(Attached, InterruptsFromTheTerminalAreLeftToTheChild) {
  // SIGINT to us is ignored while the child runs (the terminal sends it to the child too).
  const auto r = run_attached({"/bin/sh", "-c", "kill -INT $PPID; exit 3"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 3);
}
