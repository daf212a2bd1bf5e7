// The statfs worker pool with a scripted statfs: every path answered, errors kept,
// and a call that hangs reported as timed out, then stuck, until it returns.
#include "procfs/statfs_pool.h"

#include <gtest/gtest.h>
#include <sys/statfs.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vitals::procfs {
namespace {

using std::chrono::milliseconds;

TEST(StatfsPoolTest, MoreMountsThanWorkers) {
  std::atomic<int> calls{0};
  StatfsPool pool(1, [&calls](const std::string& path, struct statfs& out) {
    ++calls;
    out.f_blocks = path.size();
    return path == "/bad" ? EIO : 0;
  });
  std::vector<std::string> paths;
  for (int i = 0; i < 20; ++i) paths.push_back("/m" + std::string(i, 'x'));
  paths.push_back("/bad");
  const auto outcomes = pool.StatAll(paths, milliseconds(5000));
  ASSERT_EQ(outcomes.size(), paths.size());
  for (size_t i = 0; i + 1 < paths.size(); ++i) {
    EXPECT_EQ(outcomes[i].state, StatfsPool::Outcome::State::kOk) << paths[i];
    EXPECT_EQ(outcomes[i].stats.f_blocks, paths[i].size());
  }
  EXPECT_EQ(outcomes.back().state, StatfsPool::Outcome::State::kError);
  EXPECT_EQ(outcomes.back().error, EIO);
  EXPECT_EQ(calls.load(), 21);
  EXPECT_TRUE(pool.StatAll({}, milliseconds(5000)).empty());
}

// Blocks calls for "/hung" until released.
struct Gate {
  std::mutex mutex;
  std::condition_variable opened;
  bool open = false;
  std::atomic<int> hung_calls{0};
};

TEST(StatfsPoolTest, HungCallTimesOutThenStaysStuckUntilItReturns) {
  auto gate = std::make_shared<Gate>();
  StatfsPool pool(2, [gate](const std::string& path, struct statfs& out) {
    out.f_blocks = 1;
    if (path != "/hung") return 0;
    ++gate->hung_calls;
    std::unique_lock lock(gate->mutex);
    gate->opened.wait(lock, [&] { return gate->open; });
    return 0;
  });
  using State = StatfsPool::Outcome::State;
  auto first = pool.StatAll({"/hung", "/ok"}, milliseconds(100));
  EXPECT_EQ(first[0].state, State::kTimeout);
  EXPECT_EQ(first[1].state, State::kOk);
  // Not retried while the first call still hangs.
  auto second = pool.StatAll({"/hung", "/ok"}, milliseconds(100));
  EXPECT_EQ(second[0].state, State::kStuck);
  EXPECT_EQ(second[1].state, State::kOk);
  EXPECT_EQ(gate->hung_calls.load(), 1);
  {
    std::lock_guard lock(gate->mutex);
    gate->open = true;
  }
  gate->opened.notify_all();
  // Once it has returned, the mount is stated again like any other.
  State state = State::kStuck;
  for (int attempt = 0; attempt < 100 && state != State::kOk; ++attempt) {
    state = pool.StatAll({"/hung"}, milliseconds(1000))[0].state;
    if (state != State::kOk) std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(state, State::kOk);
}

}  // namespace
}  // namespace vitals::procfs
