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
