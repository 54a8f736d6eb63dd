#include "server/miss_refresher.hpp"

#include <algorithm>
#include <utility>

namespace chartprov::server {

MissRefresher::~MissRefresher() {
  std::thread last;
  {
    const std::lock_guard lock(mutex_);
    last = std::move(thread_);
  }
  if (last.joinable()) last.join();
}

bool MissRefresher::run(const std::string& key, std::function<void()> job,
                        std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  const std::uint64_t seen = generation_;
  // Another job first: it may be this very chart's, or hold the slot.
  if (running_ && !finished_.wait_until(lock, deadline, [&] { return !running_; })) return false;
  const auto now = std::chrono::steady_clock::now();
  const auto last = last_run_.find(key);
  if (last != last_run_.end() && now - last->second < interval_) return generation_ != seen;
  if (last_run_.size() >= kMaxKeys && last == last_run_.end()) {
    const auto oldest = std::min_element(last_run_.begin(), last_run_.end(),
                                         [](const auto& a, const auto& b) { return a.second < b.second; });
    last_run_.erase(oldest);
  }
  last_run_[key] = now;
  running_ = true;
  if (thread_.joinable()) thread_.join();  // finished: running_ was false
  thread_ = std::thread([this, job = std::move(job)] {
    job();
    const std::lock_guard done(mutex_);
    running_ = false;
    ++generation_;
    finished_.notify_all();
  });
  return finished_.wait_until(lock, deadline, [&] { return generation_ != seen && !running_; });
}

}  // namespace chartprov::server
