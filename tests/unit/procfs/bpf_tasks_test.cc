#include "procfs/bpf_tasks.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "procfs/proc_fs.h"

namespace vitals::procfs {
namespace {

constexpr uint64_t kTick = 10'000'000;  // Nanoseconds per USER_HZ tick.
constexpr uint64_t kPage = 4096;

TaskRecord Thread(uint32_t tgid, uint32_t pid) {
  TaskRecord r{};
  r.version = VITALS_TASK_RECORD_VERSION;
  r.tgid = tgid;
  r.pid = pid;
  r.flags = VITALS_TASK_HAS_IO;
  return r;
}

TaskRecord Leader(uint32_t tgid, const char* comm) {
  TaskRecord r = Thread(tgid, tgid);
  r.flags |= VITALS_TASK_LEADER | VITALS_TASK_HAS_MM;
  std::strncpy(r.comm, comm, sizeof(r.comm) - 1);
  r.nr_threads = 1;
  r.start_boottime = 123 * kTick + 5;
  return r;
}

TEST(BpfTaskStateTest, LettersAsProcShowsThem) {
  EXPECT_EQ(TaskStateLetter(0x0, 0), 'R');
  EXPECT_EQ(TaskStateLetter(0x1, 0), 'S');
  EXPECT_EQ(TaskStateLetter(0x2, 0), 'D');
  EXPECT_EQ(TaskStateLetter(0x4, 0), 'T');
  EXPECT_EQ(TaskStateLetter(0x8, 0), 't');
  EXPECT_EQ(TaskStateLetter(0x0, 0x20), 'Z');  // EXIT_ZOMBIE.
  EXPECT_EQ(TaskStateLetter(0x0, 0x10), 'X');  // EXIT_DEAD.
  EXPECT_EQ(TaskStateLetter(0x402, 0), 'I');   // TASK_IDLE: an idle kernel thread.
  EXPECT_EQ(TaskStateLetter(0x1000, 0), 'D');  // TASK_RTLOCK_WAIT shows as D.
  EXPECT_EQ(TaskStateLetter(0x8001, 0), 'D');  // TASK_FROZEN too.
  EXPECT_EQ(TaskStateLetter(0x100, 0), 'R');   // Bits outside TASK_REPORT: running.
}

TEST(BpfCputimeTest, ScalesRuntimeByTheTickRatio) {
  PrevCputime prev;
  uint64_t utime = 0, stime = 0;
  CputimeAdjust(1000, 3, 1, prev, utime, stime);
  EXPECT_EQ(stime, 250u);
  EXPECT_EQ(utime, 750u);
}

TEST(BpfCputimeTest, OnlyUserOrOnlySystemTakesItAll) {
  PrevCputime prev;
  uint64_t utime = 0, stime = 0;
  CputimeAdjust(1000, 0, 7, prev, utime, stime);
  EXPECT_EQ(stime, 1000u);
  EXPECT_EQ(utime, 0u);
  PrevCputime other;
  CputimeAdjust(1000, 7, 0, other, utime, stime);
  EXPECT_EQ(stime, 0u);
  EXPECT_EQ(utime, 1000u);
}

TEST(BpfCputimeTest, NeitherPartGoesBackwards) {
  PrevCputime prev;
  uint64_t utime = 0, stime = 0;
  CputimeAdjust(1000, 1, 1, prev, utime, stime);  // 500 / 500.
  CputimeAdjust(1200, 9, 1, prev, utime, stime);  // Ratio says stime 120: kept at 500.
  EXPECT_EQ(stime, 500u);
  EXPECT_EQ(utime, 700u);
  CputimeAdjust(1100, 1, 1, prev, utime, stime);  // Runtime below the last sum: unchanged.
  EXPECT_EQ(stime, 500u);
  EXPECT_EQ(utime, 700u);
}

TEST(BpfAggregateTest, SumsThreadsAndWhatExitedThreadsLeft) {
  TaskRecord leader = Leader(100, "server");
  leader.ppid = 1;
  leader.state = 0x1;
  leader.nr_threads = 3;
  leader.utime = 2 * kTick;
  leader.stime = 2 * kTick;
  leader.sum_exec_runtime = 10 * kTick;
  leader.min_flt = 10;
  leader.maj_flt = 1;
  leader.nvcsw = 5;
  leader.nivcsw = 2;
  leader.read_bytes = 4096;
  leader.write_bytes = 100;
  leader.sig_utime = 1 * kTick;  // An exited thread.
  leader.sig_stime = 1 * kTick;
  leader.sig_sum_sched_runtime = 10 * kTick;
  leader.sig_min_flt = 1000;
  leader.sig_maj_flt = 3;
  leader.sig_read_bytes = 1;
  leader.sig_write_bytes = 2;
  leader.rss[VITALS_MM_FILEPAGES] = 10;
  leader.rss[VITALS_MM_ANONPAGES] = 20;
  leader.rss[VITALS_MM_SWAPENTS] = 3;
  leader.rss[VITALS_MM_SHMEMPAGES] = -2;  // A percpu counter's total may lag below 0.
  leader.total_vm = 1000;
  leader.flags |= VITALS_TASK_HAS_FDS;
  leader.open_fds = 12;
  leader.nofile_cur = 1024;
  TaskRecord worker = Thread(100, 101);
  worker.utime = 1 * kTick;
  worker.stime = 1 * kTick;
  worker.sum_exec_runtime = 20 * kTick;
  worker.min_flt = 7;
  worker.nvcsw = 11;
  worker.nivcsw = 13;
  worker.read_bytes = 8192;
  worker.write_bytes = 200;
  // A thread listed before its leader still counts.
  const std::vector<TaskRecord> records = {Thread(100, 99), leader, worker};

  TaskAggregator aggregator(kPage);
  std::vector<BpfProcess> out;
  ASSERT_TRUE(aggregator.Aggregate(records, out).ok());
  ASSERT_EQ(out.size(), 1u);
  const BpfProcess& p = out[0];
  EXPECT_EQ(p.pid, 100);
  EXPECT_EQ(p.ppid, 1);
  EXPECT_EQ(p.state, 'S');
  EXPECT_STREQ(p.comm, "server");
  EXPECT_EQ(p.start_time, 123u);
  EXPECT_EQ(p.num_threads, 3);
  // Runtime 40 ticks split by ticks user 4 : system 4.
  EXPECT_EQ(p.utime, 20u);
  EXPECT_EQ(p.stime, 20u);
  EXPECT_EQ(p.minor_faults, 1017u);
  EXPECT_EQ(p.major_faults, 4u);
  EXPECT_EQ(p.voluntary, 16u);
  EXPECT_EQ(p.nonvoluntary, 15u);
  EXPECT_EQ(p.read_bytes, 12289u);
  EXPECT_EQ(p.write_bytes, 302u);
  EXPECT_TRUE(p.has_io);
  EXPECT_EQ(p.vsize, 1000 * kPage);
  EXPECT_EQ(p.rss_pages, 30);
  EXPECT_EQ(p.rss_file, 10 * kPage);
  EXPECT_EQ(p.rss_anon, 20 * kPage);
  EXPECT_EQ(p.rss_shmem, 0u);
  EXPECT_EQ(p.vm_swap, 3 * kPage);
  EXPECT_TRUE(p.has_fds);
  EXPECT_EQ(p.open_fds, 12u);
  EXPECT_EQ(p.max_open_files, 1024u);

  const PidStat stat = p.AsStat();
  EXPECT_EQ(stat.comm, "server");
  EXPECT_EQ(stat.rss_pages, 30);
  const PidStatus status = p.AsStatus();
  EXPECT_EQ(status.voluntary_ctxt_switches, 16u);
  EXPECT_EQ(status.rss_file, 10 * kPage);
}

TEST(BpfAggregateTest, KernelThreadHasNoMemory) {
  TaskRecord kthread = Leader(2, "kthreadd");
  kthread.flags = VITALS_TASK_LEADER | VITALS_TASK_HAS_IO;
  kthread.state = 0x402;
  kthread.total_vm = 99;  // Ignored without an mm.
  kthread.nofile_cur = ~uint64_t{0};
  TaskAggregator aggregator(kPage);
  std::vector<BpfProcess> out;
  ASSERT_TRUE(aggregator.Aggregate(std::vector<TaskRecord>{kthread}, out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].state, 'I');
  EXPECT_EQ(out[0].vsize, 0u);
  EXPECT_EQ(out[0].rss_pages, 0);
  EXPECT_FALSE(out[0].has_fds);                    // No fd table counted: the collector asks /proc.
  EXPECT_EQ(out[0].max_open_files, std::nullopt);  // RLIM_INFINITY.
}

TEST(BpfAggregateTest, ThreadsWithoutTheirLeaderAreDropped) {
  TaskAggregator aggregator(kPage);
  std::vector<BpfProcess> out;
  ASSERT_TRUE(
      aggregator.Aggregate(std::vector<TaskRecord>{Thread(7, 8), Leader(9, "x")}, out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].pid, 9);
}

TEST(BpfAggregateTest, OtherRecordVersionIsAnError) {
  TaskRecord r = Leader(1, "init");
  r.version = 99;
  TaskAggregator aggregator(kPage);
  std::vector<BpfProcess> out;
  const Status status = aggregator.Aggregate(std::vector<TaskRecord>{r}, out);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("version 99"), std::string::npos);
}

TEST(BpfAggregateTest, CpuNeverGoesBackAcrossPassesUnlessThePidIsReused) {
  TaskRecord r = Leader(5, "busy");
  r.utime = 1 * kTick;
  r.stime = 1 * kTick;
  r.sum_exec_runtime = 100 * kTick;
  TaskAggregator aggregator(kPage);
  std::vector<BpfProcess> out;
  ASSERT_TRUE(aggregator.Aggregate(std::vector<TaskRecord>{r}, out).ok());
  EXPECT_EQ(out[0].stime, 50u);
  r.utime = 9 * kTick;  // Now mostly user: the system part must not shrink.
  r.sum_exec_runtime = 120 * kTick;
  ASSERT_TRUE(aggregator.Aggregate(std::vector<TaskRecord>{r}, out).ok());
  EXPECT_EQ(out[0].stime, 50u);
  EXPECT_EQ(out[0].utime, 70u);
  r.start_boottime += kTick;  // Another process with the same pid: a fresh split.
  ASSERT_TRUE(aggregator.Aggregate(std::vector<TaskRecord>{r}, out).ok());
  EXPECT_EQ(out[0].stime, 12u);
  EXPECT_EQ(out[0].utime, 108u);
}

TEST(BpfAggregateTest, StartsFromTheKernelsOwnSplit) {
  // A kernel thread all of whose early runtime the kernel gave to user time (no system
  // tick then): /proc keeps showing it, so must we.
  TaskRecord r = Leader(3, "kworker");
  r.stime = 5 * kTick;
  r.sum_exec_runtime = 100 * kTick;
  r.sig_prev_utime = 30 * kTick;
  r.sig_prev_stime = 40 * kTick;
  TaskAggregator aggregator(kPage);
  std::vector<BpfProcess> out;
  ASSERT_TRUE(aggregator.Aggregate(std::vector<TaskRecord>{r}, out).ok());
  EXPECT_EQ(out[0].utime, 30u);
  EXPECT_EQ(out[0].stime, 70u);
}

TEST(BpfAggregateTest, ThreadsAreHandedOverOnlyWhenAskedAndOnlyForTwoOrMore) {
  TaskRecord leader = Leader(10, "server");
  leader.nr_threads = 2;
  leader.utime = 1 * kTick;
  leader.sum_exec_runtime = 4 * kTick;
  leader.min_flt = 3;
  TaskRecord worker = Thread(10, 12);
  std::strncpy(worker.comm, "worker/0", sizeof(worker.comm) - 1);
  worker.start_boottime = 200 * kTick;
  worker.utime = 1 * kTick;
  worker.stime = 3 * kTick;
  worker.sum_exec_runtime = 40 * kTick;
  worker.maj_flt = 2;
  worker.nvcsw = 7;
  worker.nivcsw = 8;
  worker.read_bytes = 512;
  worker.write_bytes = 1024;
  const TaskRecord single = Leader(20, "alone");
  // The iterator goes by tid: another process's task between a process's threads.
  const std::vector<TaskRecord> records = {leader, Thread(30, 11), Leader(30, "other"), worker,
                                           single};

  std::vector<BpfProcess> out;
  ASSERT_TRUE(TaskAggregator(kPage).Aggregate(records, out).ok());
  for (const BpfProcess& p : out) EXPECT_TRUE(p.threads.empty()) << p.pid;

  TaskAggregator aggregator(kPage, /*threads=*/true);
  ASSERT_TRUE(aggregator.Aggregate(records, out).ok());
  ASSERT_EQ(out.size(), 3u);
  const BpfProcess& server = out[0];
  ASSERT_EQ(server.pid, 10);
  ASSERT_EQ(server.threads.size(), 2u);
  const BpfThread& t0 = server.threads[0];
  EXPECT_EQ(t0.tid, 10);
  EXPECT_STREQ(t0.comm, "server");
  EXPECT_EQ(t0.utime, 4u);  // All user ticks: the whole runtime.
  EXPECT_EQ(t0.stime, 0u);
  EXPECT_EQ(t0.minor_faults, 3u);
  const BpfThread& t1 = server.threads[1];
  EXPECT_EQ(t1.tid, 12);
  EXPECT_STREQ(t1.comm, "worker/0");
  EXPECT_EQ(t1.start_time, 200u);
  EXPECT_EQ(t1.utime, 10u);  // Runtime 40 split 1 : 3.
  EXPECT_EQ(t1.stime, 30u);
  EXPECT_EQ(t1.major_faults, 2u);
  EXPECT_EQ(t1.voluntary, 7u);
  EXPECT_EQ(t1.nonvoluntary, 8u);
  EXPECT_EQ(t1.read_bytes, 512u);
  EXPECT_EQ(t1.write_bytes, 1024u);
  EXPECT_EQ(out[1].pid, 30);
  EXPECT_EQ(out[1].threads.size(), 2u);  // One listed before its leader.
  EXPECT_EQ(out[2].pid, 20);
  EXPECT_TRUE(out[2].threads.empty());  // A single thread: none, as process-exporter.
}

TEST(BpfAggregateTest, ThreadCpuStartsFromItsOwnKernelSplitAndNeverGoesBack) {
  TaskRecord leader = Leader(40, "app");
  leader.nr_threads = 2;
  TaskRecord worker = Thread(40, 41);
  worker.stime = 5 * kTick;
  worker.sum_exec_runtime = 100 * kTick;
  worker.prev_utime = 30 * kTick;  // What /proc/40/task/41/stat showed last.
  worker.prev_stime = 40 * kTick;
  TaskAggregator aggregator(kPage, /*threads=*/true);
  std::vector<BpfProcess> out;
  ASSERT_TRUE(aggregator.Aggregate(std::vector<TaskRecord>{leader, worker}, out).ok());
  ASSERT_EQ(out[0].threads.size(), 2u);
  EXPECT_EQ(out[0].threads[1].utime, 30u);
  EXPECT_EQ(out[0].threads[1].stime, 70u);
  worker.prev_utime = worker.prev_stime = 0;  // Not read through /proc since: ours holds.
  worker.utime = 50 * kTick;
  worker.sum_exec_runtime = 110 * kTick;
  ASSERT_TRUE(aggregator.Aggregate(std::vector<TaskRecord>{leader, worker}, out).ok());
  EXPECT_EQ(out[0].threads[1].stime, 70u);
  EXPECT_EQ(out[0].threads[1].utime, 40u);
}

// Live: the iterator's view of this test process against /proc/self. Skips where BPF
// cannot load (unprivileged, no BTF, no libbpf.so.1, built without BPF).
TEST(BpfTaskIteratorLiveTest, AgreesWithProcForThisProcess) {
  auto loaded = BpfTaskIterator::Load();
  if (!loaded.ok()) GTEST_SKIP() << "BPF task iterator unavailable: " << loaded.error();
  std::atomic<bool> stop = false;
  std::thread spinner([&] {
    while (!stop) {
    }
  });
  usleep(50'000);
  ProcFs fs("/proc");
  std::string buffer;
  auto stat = Pid(fs, getpid()).Stat(buffer);
  ASSERT_TRUE(stat.ok());
  const PidStat before = *stat;
  const std::string comm(before.comm);
  auto records = (*loaded)->Read();
  ASSERT_TRUE(records.ok()) << records.error();
  TaskAggregator aggregator(static_cast<uint64_t>(sysconf(_SC_PAGESIZE)));
  std::vector<BpfProcess> out;
  ASSERT_TRUE(aggregator.Aggregate(*records, out).ok());
  stat = Pid(fs, getpid()).Stat(buffer);
  stop = true;
  spinner.join();
  ASSERT_TRUE(stat.ok());
  const BpfProcess* self = nullptr;
  for (const BpfProcess& p : out) {
    if (p.pid == getpid()) self = &p;
  }
  ASSERT_NE(self, nullptr);
  EXPECT_EQ(self->comm, comm);
  EXPECT_EQ(self->ppid, before.ppid);
  EXPECT_EQ(self->start_time, before.start_time);
  EXPECT_EQ(self->num_threads, before.num_threads);
  EXPECT_EQ(self->state, 'R');  // It is the one reading.
  // The record buffer and the threads' stacks come and go: about equal, not equal.
  EXPECT_NEAR(static_cast<double>(self->vsize), static_cast<double>(stat->vsize), 16 << 20);
  EXPECT_GT(self->rss_pages, 0);
  EXPECT_GE(self->utime + self->stime + 1, before.utime + before.stime);
  EXPECT_LE(self->utime + self->stime, stat->utime + stat->stime + 1);
  EXPECT_GE(self->minor_faults, before.minor_faults);
  EXPECT_LE(self->minor_faults, stat->minor_faults);
  EXPECT_GT(out.size(), 10u);
}

}  // namespace
}  // namespace vitals::procfs
