// The processes collector's privileged input: a BPF task iterator (bpf/task_iter.bpf.c)
// that hands over one binary record per task (thread), summed here per process into what
// /proc/PID/stat, status and io would say, without /proc text. libbpf.so.1 is dlopen()ed
// (procfs/libbpf_api.h) only when this path is tried, so exporters that never try it do
// not map it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "procfs/bpf/task_record.h"
#include "procfs/pid_io.h"
#include "procfs/pid_stat.h"
#include "procfs/pid_status.h"

namespace vitals::procfs {

using TaskRecord = vitals_task_record;

// One thread of a multi-threaded process, as /proc/PID/task/TID/{stat,status,io} would
// say.
struct BpfThread {
  int64_t tid = 0;
  char comm[16] = {};
  uint64_t start_time = 0;        // USER_HZ ticks after boot.
  uint64_t utime = 0, stime = 0;  // USER_HZ ticks, split as the kernel's cputime_adjust().
  uint64_t minor_faults = 0, major_faults = 0;
  uint64_t voluntary = 0, nonvoluntary = 0;
  uint64_t read_bytes = 0, write_bytes = 0;
};

// One process (thread group) as the iterator saw it, in /proc's units.
struct BpfProcess {
  int64_t pid = 0;
  int64_t ppid = 0;
  char state = '?';
  char comm[16] = {};
  uint64_t start_time = 0;  // USER_HZ ticks after boot.
  uint64_t utime = 0;       // USER_HZ ticks, summed over live and exited threads.
  uint64_t stime = 0;
  uint64_t minor_faults = 0, major_faults = 0;
  uint64_t voluntary = 0, nonvoluntary = 0;  // Live threads, as /proc/PID/task/*/status.
  uint64_t read_bytes = 0, write_bytes = 0;  // Live and exited threads, as /proc/PID/io.
  bool has_io = false;
  int64_t num_threads = 0;
  uint64_t vsize = 0;  // Bytes.
  int64_t rss_pages = 0;
  uint64_t rss_anon = 0, rss_file = 0, rss_shmem = 0, vm_swap = 0;  // Bytes.
  bool has_fds = false;  // open_fds is set (else count /proc/PID/fd).
  uint64_t open_fds = 0;
  std::optional<uint64_t> max_open_files;  // RLIMIT_NOFILE's soft limit; unset: unlimited.
  // Its live threads when there are two or more and the aggregator was asked for them.
  std::vector<BpfThread> threads;

  PidStat AsStat() const;      // comm points into this object.
  PidStatus AsStatus() const;  // No uids and no cpus_allowed_list: those need /proc.
  PidIo AsIo() const { return {read_bytes, write_bytes}; }
};

// /proc's one-letter state of a task from its __state and exit_state bits
// (the kernel's __task_state_index()).
char TaskStateLetter(uint32_t state, uint32_t exit_state);

// What the kernel's cputime_adjust() keeps per process so that the scaled times never
// go backwards.
struct PrevCputime {
  uint64_t utime = 0, stime = 0;  // Nanoseconds.
};

// The kernel's cputime_adjust(): splits the precise runtime `rtime` in the ratio of the
// tick-sampled user and system times, as /proc/PID/stat does. Nanoseconds.
void CputimeAdjust(uint64_t rtime, uint64_t tick_utime, uint64_t tick_stime, PrevCputime& prev,
                   uint64_t& utime, uint64_t& stime);

// Sums one pass's records per process. Keeps each process's PrevCputime between passes
// (and each thread's, with `threads`).
class TaskAggregator {
 public:
  // `threads`: also hand over each multi-threaded process's threads (BpfProcess::threads).
  explicit TaskAggregator(uint64_t page_size, bool threads = false)
      : page_size_(page_size), threads_(threads) {}

  // Processes in the order their leaders came; a thread whose leader is missing (the
  // whole process exited mid-pass) is dropped with it. Records of another version are
  // an error.
  Status Aggregate(std::span<const TaskRecord> records, std::vector<BpfProcess>& out);

 private:
  struct Sums;
  struct Kept {
    uint64_t start_boottime = 0;
    PrevCputime prev;
    uint64_t pass = 0;
  };
  // `rtime` and the tick times split as the kernel would, never below the kernel's own
  // split `kernel_prev` nor below the last split kept for `id`; USER_HZ ticks.
  void Adjust(std::unordered_map<int64_t, Kept>& kept, int64_t id, uint64_t start_boottime,
              uint64_t rtime, uint64_t tick_utime, uint64_t tick_stime, PrevCputime kernel_prev,
              uint64_t& utime, uint64_t& stime);
  void AddThreads(std::span<const TaskRecord> records, std::vector<BpfProcess>& out,
                  const std::unordered_map<uint32_t, Sums>& sums);

  uint64_t page_size_;
  bool threads_;
  uint64_t pass_ = 0;
  std::unordered_map<int64_t, Kept> kept_;          // By pid.
  std::unordered_map<int64_t, Kept> kept_threads_;  // By tid.
};

// The loaded and attached task iterator.
class BpfTaskIterator {
 public:
  // Loads the embedded object with libbpf.so.1 (dlopen()ed). The error says why not:
  // built without BPF, no libbpf, no BTF, or the kernel refused (no CAP_BPF+CAP_PERFMON).
  static Result<std::unique_ptr<BpfTaskIterator>> Load();
  ~BpfTaskIterator();
  BpfTaskIterator(const BpfTaskIterator&) = delete;
  BpfTaskIterator& operator=(const BpfTaskIterator&) = delete;

  // One pass over every task; the records stay valid until the next call.
  Result<std::span<const TaskRecord>> Read();

 private:
  struct Handles;
  explicit BpfTaskIterator(std::unique_ptr<Handles> handles);
  std::unique_ptr<Handles> handles_;
  std::vector<TaskRecord> records_;
};

}  // namespace vitals::procfs
