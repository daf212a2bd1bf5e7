// process-exporter's per-thread-name families (its -threads option):
// namedprocess_namegroup_thread_* {groupname, threadname}, from
// /proc/PID/task/TID/{stat,status,io} (or the BPF task iterator's per-thread records) of
// the grouped processes that have more than one thread (process-exporter skips
// single-threaded ones too).
//
// A thread's counters are its whole life's (like the group counters); when a thread
// exits, its last counts stay with its group under its name, so a thread name's
// counters never go backwards. A name is published while at least one live thread has it.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "collectors/collector.h"
#include "procfs/bpf_tasks.h"
#include "procfs/proc_fs.h"

namespace vitals::collectors {

// Monotonic counters of one process or thread (or of the exited members of a group),
// in kernel units: ticks, bytes, counts.
struct ProcessCounters {
  uint64_t utime = 0, stime = 0, read_bytes = 0, write_bytes = 0, major_faults = 0,
           minor_faults = 0, voluntary = 0, nonvoluntary = 0;
  ProcessCounters& operator+=(const ProcessCounters& other);
  ProcessCounters operator-(const ProcessCounters& other) const;
};

// Counters of exited threads, by thread name.
using ThreadNameCounters = std::map<std::string, ProcessCounters>;

// A group's threads of one name: how many are alive, and their counters (exited ones'
// included).
struct ThreadNameTotals {
  uint64_t count = 0;
  ProcessCounters counters;
};

// Thread names kept per group for exited threads; past it, names without a live thread
// are forgotten (a process naming each short-lived thread differently cannot grow it).
inline constexpr size_t kMaxExitedThreadNames = 1024;

// The threads of one tracked process, by (tid, start time).
class ProcessThreads {
 public:
  // Reads every thread of `process`. Threads that exited since the last read leave their
  // counts in `exited`. `partial` is set when the task list or a thread's files could not
  // be read (other than because it exited): a thread is kept with what could be read.
  void Read(const procfs::Pid& process, std::string& buffer, ThreadNameCounters& exited,
            bool& partial);
  // The same from the task iterator's facts of every live thread (no /proc reads).
  void Update(std::span<const procfs::BpfThread> threads, ThreadNameCounters& exited);
  // Every thread leaves its counts in `exited` (the process exited, moved group, or is
  // down to one thread).
  void RetireAll(ThreadNameCounters& exited);
  bool empty() const { return threads_.empty(); }
  // Context switches summed over the live threads.
  std::pair<uint64_t, uint64_t> SumSwitches() const;
  // Adds this process's live threads to a group's totals by name.
  void AddTo(std::map<std::string, ThreadNameTotals>& totals) const;

 private:
  struct Thread {
    std::string name;
    uint64_t start_time = 0;
    ProcessCounters last;  // As last read: the thread's whole life.
    ProcessCounters base;  // `last` when it took its current name (0 unless renamed).
    bool seen = false;

    ProcessCounters counters() const { return last - base; }
  };
  // Thread `tid`, seen now with `start_time` and `name`: a reused tid or a new name
  // leaves the old counts with the old name in `exited`.
  Thread& Observe(int64_t tid, uint64_t start_time, std::string_view name,
                  ThreadNameCounters& exited);
  // Threads not seen this time exited: their counts go to `exited`.
  void RetireUnseen(ThreadNameCounters& exited);

  std::unordered_map<int64_t, Thread> threads_;
};

// Forgets exited-thread names beyond kMaxExitedThreadNames that no live thread has.
void PruneExitedThreadNames(ThreadNameCounters& exited,
                            const std::map<std::string, ThreadNameTotals>& live);

// The six namedprocess_namegroup_thread_* families, for each group's live thread names.
void AddThreadFamilies(
    Families& out,
    const std::vector<std::pair<std::string_view, std::map<std::string, ThreadNameTotals>>>&
        groups);

}  // namespace vitals::collectors
