#include "collectors/processes_threads.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace vitals::collectors {
namespace {

procfs::BpfThread Thread(int64_t tid, const char* comm, uint64_t start, uint64_t utime) {
  procfs::BpfThread t;
  t.tid = tid;
  std::strncpy(t.comm, comm, sizeof(t.comm) - 1);
  t.start_time = start;
  t.utime = utime;
  t.voluntary = utime * 2;
  return t;
}

std::map<std::string, ThreadNameTotals> Totals(const ProcessThreads& threads) {
  std::map<std::string, ThreadNameTotals> totals;
  threads.AddTo(totals);
  return totals;
}

// The task iterator's per-thread facts go through the same bookkeeping as /proc's: a
// renamed thread's past stays with its old name, a reused tid starts afresh, a thread
// not seen again has exited; names are made valid UTF-8.
TEST(ProcessThreadsUpdateTest, RenamesReusedTidsAndExitsKeepEveryTick) {
  ProcessThreads threads;
  ThreadNameCounters exited;
  threads.Update(std::vector<procfs::BpfThread>{Thread(1, "main", 5, 10), Thread(2, "pool", 6, 20),
                                                Thread(3, "io\xff", 7, 30)},
                 exited);
  auto totals = Totals(threads);
  ASSERT_EQ(totals.size(), 3u);
  EXPECT_EQ(totals["pool"].counters.utime, 20u);
  EXPECT_EQ(totals["pool"].counters.voluntary, 40u);
  EXPECT_EQ(totals.count("io\xef\xbf\xbd"), 1u);  // U+FFFD for the stray byte.
  EXPECT_TRUE(exited.empty());

  // 2 renamed itself at 25, 3 exited at 30, tid 1 is now another thread.
  threads.Update(
      std::vector<procfs::BpfThread>{Thread(1, "main", 9, 4), Thread(2, "renamed", 6, 26)}, exited);
  totals = Totals(threads);
  EXPECT_EQ(totals["renamed"].counters.utime, 6u);  // Only what it used under the new name.
  EXPECT_EQ(totals["main"].counters.utime, 4u);
  EXPECT_EQ(totals["main"].count, 1u);
  EXPECT_EQ(exited["pool"].utime, 20u);
  EXPECT_EQ(exited["io\xef\xbf\xbd"].utime, 30u);
  EXPECT_EQ(exited["main"].utime, 10u);  // The tid's earlier thread.

  threads.RetireAll(exited);
  EXPECT_TRUE(threads.empty());
  EXPECT_EQ(exited["main"].utime, 14u);
  EXPECT_EQ(exited["renamed"].utime, 6u);
}

// The kept name is the sanitized one: the same invalid name read again is not a rename.
TEST(ProcessThreadsUpdateTest, AnInvalidNameSeenAgainIsTheSameThread) {
  ProcessThreads threads;
  ThreadNameCounters exited;
  threads.Update(std::vector<procfs::BpfThread>{Thread(1, "main", 5, 1), Thread(2, "w\xff", 6, 3)},
                 exited);
  threads.Update(std::vector<procfs::BpfThread>{Thread(1, "main", 5, 2), Thread(2, "w\xff", 6, 8)},
                 exited);
  EXPECT_TRUE(exited.empty());
  EXPECT_EQ(Totals(threads)["w\xef\xbf\xbd"].counters.utime, 8u);
}

}  // namespace
}  // namespace vitals::collectors
