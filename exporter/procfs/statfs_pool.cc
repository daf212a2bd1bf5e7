#include "procfs/statfs_pool.h"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace vitals::procfs {

namespace {
// When no job of a batch finished for this long, another worker is woken: the one
// holding the queue may be blocked in the kernel.
constexpr auto kStallInterval = std::chrono::milliseconds(20);
}  // namespace

// One StatAll() call; lets the last finished job wake the scrape exactly once.
struct StatfsBatch {
  size_t remaining = 0;
};

struct StatfsPool::Job {
  std::string path;
  std::shared_ptr<StatfsBatch> batch;
  bool started = false;
  bool done = false;
  bool abandoned = false;  // The scrape gave up waiting; result is only a liveness signal.
  int error = 0;
  struct statfs stats {};
};

// Shared with detached workers, so a worker stuck in the kernel outlives the pool safely.
struct StatfsPool::Shared {
  StatFn stat_fn;
  std::mutex mutex;
  std::condition_variable work_ready;
  std::condition_variable job_done;
  std::deque<std::shared_ptr<Job>> queue;
  int lost_workers = 0;  // Workers blocked on an abandoned job; replaced, then retired.
  bool stopping = false;

  void RunWorker() {
    std::unique_lock lock(mutex);
    while (true) {
      work_ready.wait(lock, [&] { return stopping || !queue.empty(); });
      if (stopping) return;
      std::shared_ptr<Job> job = queue.front();
      queue.pop_front();
      if (job->abandoned) continue;
      job->started = true;
      lock.unlock();
      struct statfs stats {};
      const int error = stat_fn(job->path, stats);
      lock.lock();
      job->stats = stats;
      job->error = error;
      job->done = true;
      if (--job->batch->remaining == 0) job_done.notify_all();
      if (job->abandoned && lost_workers > 0) {
        --lost_workers;  // A replacement already took this worker's place.
        return;
      }
    }
  }

  void SpawnWorker(const std::shared_ptr<Shared>& self) {
    std::thread([self] { self->RunWorker(); }).detach();
  }
};

int StatfsPool::RealStatfs(const std::string& path, struct statfs& out) {
  return statfs(path.c_str(), &out) == 0 ? 0 : errno;
}

StatfsPool::StatfsPool(int workers, StatFn stat_fn) : shared_(std::make_shared<Shared>()) {
  shared_->stat_fn = std::move(stat_fn);
  for (int i = 0; i < std::max(1, workers); ++i) shared_->SpawnWorker(shared_);
}

StatfsPool::~StatfsPool() {
  std::lock_guard lock(shared_->mutex);
  shared_->stopping = true;
  shared_->work_ready.notify_all();
}

void StatfsPool::WaitForBatch(std::unique_lock<std::mutex>& lock, const StatfsBatch& batch,
                              std::chrono::steady_clock::time_point deadline) {
  while (batch.remaining > 0) {
    const auto wake = std::min(deadline, std::chrono::steady_clock::now() + kStallInterval);
    shared_->job_done.wait_until(lock, wake, [&] { return batch.remaining == 0; });
    if (batch.remaining == 0 || std::chrono::steady_clock::now() >= deadline) return;
    if (!shared_->queue.empty()) shared_->work_ready.notify_one();
  }
}

std::vector<StatfsPool::Outcome> StatfsPool::StatAll(const std::vector<std::string>& paths,
                                                     std::chrono::milliseconds timeout) {
  using State = Outcome::State;
  std::vector<Outcome> outcomes(paths.size());
  std::vector<std::shared_ptr<Job>> jobs(paths.size());
  auto batch = std::make_shared<StatfsBatch>();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(shared_->mutex);

  for (size_t i = 0; i < paths.size(); ++i) {
    if (auto it = stuck_.find(paths[i]); it != stuck_.end()) {
      if (!it->second->done) {
        outcomes[i].state = State::kStuck;
        continue;
      }
      stuck_.erase(it);  // It answered at last: stat it again like any other mount.
    }
    jobs[i] = std::make_shared<Job>();
    jobs[i]->path = paths[i];
    jobs[i]->batch = batch;
    shared_->queue.push_back(jobs[i]);
    ++batch->remaining;
  }
  // One worker usually drains the whole batch: a single wake-up instead of one per mount.
  if (batch->remaining > 0) shared_->work_ready.notify_one();
  WaitForBatch(lock, *batch, deadline);

  for (size_t i = 0; i < paths.size(); ++i) {
    const auto& job = jobs[i];
    if (!job) continue;
    if (job->done) {
      outcomes[i].state = job->error == 0 ? State::kOk : State::kError;
      outcomes[i].stats = job->stats;
      outcomes[i].error = job->error;
      continue;
    }
    job->abandoned = true;
    outcomes[i].state = State::kTimeout;
    if (job->started) {
      // Its worker is blocked in the kernel: remember the mount and keep capacity up.
      stuck_[paths[i]] = job;
      ++shared_->lost_workers;
      shared_->SpawnWorker(shared_);
    }
  }
  return outcomes;
}

}  // namespace vitals::procfs
