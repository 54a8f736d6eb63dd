// The one wall clock: unix_now() is the system's time in seconds, and now_or() keeps a time a
// caller fixed (every request's `now`, a test's fixed instant) and reads the clock only for 0.
#include "util/clock.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace chartprov {
namespace {

std::int64_t system_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

TEST(Clock, UnixNowIsTheSystemTimeInSeconds) {
  const std::int64_t before = system_seconds();
  const std::int64_t now = unix_now();
  const std::int64_t after = system_seconds();
  // time() reads a coarse clock that may trail the fine one by a tick: one second of slack.
  EXPECT_GE(now, before - 1);
  EXPECT_LE(now, after);
  EXPECT_GT(now, 1700000000);  // after November 2023: seconds, not milliseconds or a zero
  EXPECT_LT(now, 4102444800);  // before 2100
}

TEST(Clock, AFixedTimeIsKept) {
  EXPECT_EQ(now_or(1), 1);
  EXPECT_EQ(now_or(1767225600), 1767225600);  // 2026-01-01T00:00:00Z
  EXPECT_EQ(now_or(-86400), -86400);          // before the epoch is a time too, not "unset"
  EXPECT_EQ(now_or(INT64_MAX), INT64_MAX);
}

TEST(Clock, ZeroMeansNow) {
  const std::int64_t before = system_seconds();
  const std::int64_t now = now_or(0);
  EXPECT_GE(now, before - 1);  // the coarse clock may trail by a tick
  EXPECT_LE(now, system_seconds());
}

}  // namespace
}  // namespace chartprov
