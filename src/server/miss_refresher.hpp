#pragma once
// The work a review can ask for when its chart is in no store (issue 15:
// "on a miss, it fetches, verifies under policy, and caches"): mirroring the
// repository sources again, or pulling the chart from a registry source. One
// job runs at a time, in a thread of its own, so that a review waits at most
// until its own deadline while the job finishes for the next one; each key
// (a chart, or the repository rebuild) runs at most once per interval, so a
// stream of reviews for a chart that is nowhere costs one fetch per interval.
// Thread-safe.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace chartprov::server {

class MissRefresher {
 public:
  explicit MissRefresher(std::chrono::seconds interval) : interval_(interval) {}
  ~MissRefresher();  // waits for a job in progress
  MissRefresher(const MissRefresher&) = delete;
  MissRefresher& operator=(const MissRefresher&) = delete;

  // Runs `job` in the refresher thread unless `key` ran within the interval,
  // waiting first for a job in progress; then waits for the job to finish,
  // until `deadline`. True when a job finished after the call began (the
  // caller looks at the stores again), false when none ran or the deadline
  // came first. At most kMaxKeys keys are remembered (the oldest forgotten).
  bool run(const std::string& key, std::function<void()> job, std::chrono::steady_clock::time_point deadline);

  static constexpr std::size_t kMaxKeys = 4096;

 private:
  const std::chrono::seconds interval_;
  std::mutex mutex_;  // guards everything below
  std::condition_variable finished_;
  bool running_ = false;
  std::uint64_t generation_ = 0;  // jobs finished
  std::map<std::string, std::chrono::steady_clock::time_point> last_run_;
  std::thread thread_;  // the last job's, joined before the next and at destruction
};

}  // namespace chartprov::server
