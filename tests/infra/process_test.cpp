#include "infra/process/process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>

using namespace chartprov;
using process::run_process;

TEST(Process, ExitCodes) {
  EXPECT_EQ(run_process({"/bin/true"}, {})->exit_code, 0);
  EXPECT_EQ(run_process({"/bin/false"}, {})->exit_code, 1);
}

TEST(Process, EchoesLargeInputWithoutDeadlock) {
  const std::string big(1u << 20, 'x');
  const auto r = run_process({"/bin/cat"}, as_bytes(big));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->out, big);
}

TEST(Process, TimeoutKills) {
  process::ProcessLimits limits;
  limits.timeout = std::chrono::milliseconds(200);
  const auto r = run_process({"/bin/sleep", "5"}, {}, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("timed out"), std::string::npos);
}

TEST(Process, OutputCapAndMissingBinaryAndEnv) {
  process::ProcessLimits limits;
  limits.max_stdout = 1000;
  const std::string big(5000, 'y');
  EXPECT_FALSE(run_process({"/bin/cat"}, as_bytes(big), limits).ok());
  EXPECT_FALSE(run_process({"/nonexistent/program"}, {}).ok());
  process::ProcessLimits env;
  env.extra_env = {"CHARTPROV_TEST_VAR=42"};
  const auto r = run_process({"/usr/bin/env"}, {}, env);
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->out.find("CHARTPROV_TEST_VAR=42"), std::string::npos);
}

TEST(Process, StderrAndExitCodeAreReported) {
  const auto r = run_process({"/bin/sh", "-c", "echo oops >&2; exit 3"}, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->err, "oops\n");
  EXPECT_EQ(r->out, "");
}

TEST(Process, ChildThatIgnoresItsInputDoesNotHangOrKillUs) {
  // SIGPIPE keeps its default here: if run_process let one through, this
  // test binary would die of it.
  ASSERT_EQ(::signal(SIGPIPE, SIG_DFL), SIG_DFL);
  const std::string big(4u << 20, 'z');  // far more than a pipe buffer
  for (int i = 0; i < 3; ++i) {
    const auto r = run_process({"/bin/true"}, as_bytes(big));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->exit_code, 0);
  }
  // ... and nothing was changed for the rest of the process.
  EXPECT_EQ(::signal(SIGPIPE, SIG_DFL), SIG_DFL);
  sigset_t mask;
  ASSERT_EQ(::pthread_sigmask(SIG_SETMASK, nullptr, &mask), 0);
  EXPECT_EQ(sigismember(&mask, SIGPIPE), 0);
  sigset_t pending;
  ASSERT_EQ(::sigpending(&pending), 0);
  EXPECT_EQ(sigismember(&pending, SIGPIPE), 0);
}

TEST(Process, ChildGetsDefaultSigpipeAndSignalDeathIsReported) {
  // A parent that ignores SIGPIPE (as many do) must not pass that on: a
  // shell cannot undo a SIGPIPE ignored at entry; with the default it dies.
  const auto old = ::signal(SIGPIPE, SIG_IGN);
  const auto r = run_process({"/bin/sh", "-c", "kill -s PIPE $$; echo survived"}, {});
  ::signal(SIGPIPE, old);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, -1);
  EXPECT_EQ(r->term_signal, 13);
  EXPECT_EQ(r->out, "");
}

TEST(Process, ExtraEnvironmentReplacesInheritedValues) {
  ::setenv("CHARTPROV_TEST_OVERRIDE", "inherited", 1);
  process::ProcessLimits limits;
  limits.extra_env = {"CHARTPROV_TEST_OVERRIDE=forced"};
  // printenv reads it with getenv (the first entry wins); env lists them all.
  const auto value = run_process({"/usr/bin/printenv", "CHARTPROV_TEST_OVERRIDE"}, {}, limits);
  const auto all = run_process({"/usr/bin/env"}, {}, limits);
  ::unsetenv("CHARTPROV_TEST_OVERRIDE");
  ASSERT_TRUE(value.ok() && all.ok());
  EXPECT_EQ(value->out, "forced\n");
  EXPECT_EQ(all->out.find("CHARTPROV_TEST_OVERRIDE=inherited"), std::string::npos);
  EXPECT_NE(all->out.find("CHARTPROV_TEST_OVERRIDE=forced"), std::string::npos);
}

TEST(Process, WithoutInheritanceTheChildGetsOnlyTheGivenEnvironment) {
  ::setenv("CHARTPROV_TEST_INHERITED", "inherited", 1);
  process::ProcessLimits limits;
  limits.inherit_env = false;
  limits.extra_env = {"ONLY=this"};
  const auto all = run_process({"/usr/bin/env"}, {}, limits);
  ::unsetenv("CHARTPROV_TEST_INHERITED");
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->out, "ONLY=this\n");
}

TEST(Process, ChildInheritsNoStrayDescriptors) {
  const int fd = ::open("/dev/null", O_RDONLY);  // deliberately without O_CLOEXEC
  ASSERT_GE(fd, 3);
  const std::string script = "[ -e /proc/$$/fd/" + std::to_string(fd) + " ] && echo leaked || echo closed";
  const auto r = run_process({"/bin/sh", "-c", script}, {});
  ::close(fd);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->out, "closed\n");
}

TEST(Process, TimeoutHoldsAfterTheChildClosesItsPipes) {
  process::ProcessLimits limits;
  limits.timeout = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_process({"/bin/sh", "-c", "exec >&- 2>&-; exec sleep 5"}, {}, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("timed out"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST(Process, StderrFloodIsCapped) {
  process::ProcessLimits limits;
  limits.max_stderr = 100;
  const auto r = run_process({"/bin/sh", "-c", "head -c 100000 /dev/zero >&2"}, {}, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("more than 100 bytes"), std::string::npos);
}

TEST(Process, NoShellInterpretation) {
  const auto r = run_process({"/bin/echo", "$HOME; rm -rf /", "*"}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out, "$HOME; rm -rf / *\n");
}
