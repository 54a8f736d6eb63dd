#include <gtest/gtest.h>

#include "infra/process/process.hpp"

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
  const std::string big(4u << 20, 'z');  // far more than a pipe buffer
  const auto r = run_process({"/bin/true"}, as_bytes(big));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 0);
}

TEST(Process, ChildGetsDefaultSigpipeAndSignalDeathIsReported) {
  (void)run_process({"/bin/true"}, {});  // the parent now ignores SIGPIPE
  // A shell cannot undo a SIGPIPE ignored at entry; with the default it dies.
  const auto r = run_process({"/bin/sh", "-c", "kill -s PIPE $$; echo survived"}, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, -1);
  EXPECT_EQ(r->term_signal, 13);
  EXPECT_EQ(r->out, "");
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
