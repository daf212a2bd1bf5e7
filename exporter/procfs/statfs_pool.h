// Runs statfs(2) on worker threads so that a hung mount (dead NFS server, stuck FUSE
// daemon) can never block a scrape. A call still running at the deadline is reported
// as timed out and its mount stays "stuck" until the call finally returns.
#pragma once

#include <sys/statfs.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace vitals::procfs {

struct StatfsBatch;

class StatfsPool {
 public:
  // Returns 0 and fills `out`, or an errno value. Replaceable for tests.
  using StatFn = std::function<int(const std::string& path, struct statfs& out)>;

  struct Outcome {
    enum class State { kOk, kError, kTimeout, kStuck } state = State::kTimeout;
    struct statfs stats {};
    int error = 0;
  };

  StatfsPool(int workers, StatFn stat_fn);
  ~StatfsPool();
  StatfsPool(const StatfsPool&) = delete;
  StatfsPool& operator=(const StatfsPool&) = delete;

  // Stats every path concurrently and waits at most `timeout` in total. Paths whose
  // previous call has not returned yet are not retried and come back as kStuck.
  std::vector<Outcome> StatAll(const std::vector<std::string>& paths,
                               std::chrono::milliseconds timeout);

  static int RealStatfs(const std::string& path, struct statfs& out);

 private:
  struct Job;
  struct Shared;
  void WaitForBatch(std::unique_lock<std::mutex>& lock, const StatfsBatch& batch,
                    std::chrono::steady_clock::time_point deadline);
  std::shared_ptr<Shared> shared_;
  std::unordered_map<std::string, std::shared_ptr<Job>> stuck_;
};

}  // namespace vitals::procfs
