// processes (node_exporter's): PIDs and threads in use and their limits, and processes
// and threads per scheduler state, from /proc/PID/stat, /proc/PID/task/TID/stat and
// /proc/sys/kernel/{pid_max,threads-max}. Off by default, as in node_exporter 1.5.
//
// The collector is named "processes" so that node_exporter's --collector.processes
// turns it on; the process-exporter-style groups collector (processes_collector.h),
// configured by the processes: section, is "process_groups" (docs/metrics.md).
#pragma once

#include <map>
#include <string>

#include "collectors/collector.h"
#include "procfs/file_reader.h"
#include "procfs/proc_fs.h"

namespace vitals::collectors {

// What one walk of /proc found.
struct ProcessCounts {
  uint64_t pids = 0;
  uint64_t threads = 0;                    // The sum of the processes' num_threads (stat field 20).
  std::map<char, uint64_t> states;         // Processes per state letter.
  std::map<char, uint64_t> thread_states;  // Threads (task/*) per state letter.
};

class NodeProcessesCollector : public Collector {
 public:
  explicit NodeProcessesCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  Status Walk(const ScrapeContext& context, ProcessCounts& counts);
  Status CountThreads(const procfs::Pid& pid, char state, ProcessCounts& counts);

  procfs::ProcFs fs_;
  procfs::FileReader threads_max_;
  procfs::FileReader pid_max_;
  std::string buffer_;
};

}  // namespace vitals::collectors
