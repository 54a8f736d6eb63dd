// The work a miss asks for: one job at a time, each key at most once per
// interval, and a caller that waits no longer than its deadline.
#include "server/miss_refresher.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace chartprov::server {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

TEST(MissRefresher, RunsAKeyOncePerInterval) {
  MissRefresher refresher(std::chrono::seconds(60));
  std::atomic<int> runs = 0;
  const auto deadline = [] { return Clock::now() + milliseconds(5000); };
  EXPECT_TRUE(refresher.run(
      "web 1.0", [&] { ++runs; }, deadline()));
  EXPECT_FALSE(refresher.run(
      "web 1.0", [&] { ++runs; }, deadline()));  // within the interval: nothing ran
  EXPECT_TRUE(refresher.run(
      "api 2.0", [&] { ++runs; }, deadline()));  // another key runs
  EXPECT_EQ(runs.load(), 2);
}

TEST(MissRefresher, ACallerWaitsNoLongerThanItsDeadline) {
  MissRefresher refresher(std::chrono::seconds(0));
  std::atomic<bool> release = false;
  const auto started = Clock::now();
  EXPECT_FALSE(refresher.run(
      "slow",
      [&] {
        while (!release.load()) std::this_thread::sleep_for(milliseconds(5));
      },
      Clock::now() + milliseconds(100)));
  EXPECT_LT(Clock::now() - started, milliseconds(2000));
  // A second caller waits for the job in progress, then runs its own.
  std::thread unblock([&] {
    std::this_thread::sleep_for(milliseconds(50));
    release = true;
  });
  std::atomic<int> runs = 0;
  EXPECT_TRUE(refresher.run(
      "next", [&] { ++runs; }, Clock::now() + milliseconds(5000)));
  unblock.join();
  EXPECT_EQ(runs.load(), 1);
}

TEST(MissRefresher, ForgetsTheOldestKeysBeyondItsBound) {
  MissRefresher refresher(std::chrono::seconds(3600));
  std::atomic<int> runs = 0;
  for (std::size_t i = 0; i <= MissRefresher::kMaxKeys; ++i) {
    refresher.run(
        "chart " + std::to_string(i), [&] { ++runs; }, Clock::now() + milliseconds(5000));
  }
  EXPECT_EQ(runs.load(), static_cast<int>(MissRefresher::kMaxKeys) + 1);
  // "chart 0" was forgotten to make room: it may run again; the newest may not.
  EXPECT_TRUE(refresher.run(
      "chart 0", [&] { ++runs; }, Clock::now() + milliseconds(5000)));
  EXPECT_FALSE(refresher.run(
      "chart " + std::to_string(MissRefresher::kMaxKeys), [&] { ++runs; }, Clock::now() + milliseconds(5000)));
}

}  // namespace
}  // namespace chartprov::server
