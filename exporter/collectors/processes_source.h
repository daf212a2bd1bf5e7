// Where the processes collector gets each scrape's per-process facts (state, CPU,
// faults, context switches, I/O, memory, open fds and their limit): from a BPF task
// iterator (procfs/bpf_tasks.h: one binary record per thread, no /proc text) when the
// exporter may load BPF programs, else from /proc/PID/{stat,status,io,fd}. What BPF does
// not give (cmdline and exe for matching, per_pid's CPU list) is read from /proc either way.
//
// reader: auto tries BPF and falls back to /proc by itself; procfs never tries BPF; bpf
// never falls back (every scrape fails, saying why, while BPF is unavailable). The
// choice and its reason are logged once and published as vitals_processes_source.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collectors/collector.h"
#include "collectors/process_identity.h"
#include "collectors/processes_collector.h"
#include "procfs/bpf_tasks.h"

namespace vitals::collectors {

class ProcessSource {
 public:
  // Decides the path (loading the BPF program when it may be used) and logs it.
  // `threads`: the facts include each multi-threaded process's threads.
  ProcessSource(ProcessReader reader, const std::string& procfs_root, bool real_procfs,
                bool threads);

  // BPF facts are in use this scrape.
  bool bpf() const { return iterator_ != nullptr; }
  // Once per scrape, before the scan: one iterator pass. Fails only with reader: bpf
  // (unavailable or the pass failed); with auto a failed pass falls back to /proc.
  Status Refresh();
  const std::vector<procfs::BpfProcess>& processes() const { return processes_; }
  // This pass's facts of `pid`; null when it was not seen (or /proc is in use).
  const procfs::BpfProcess* Find(int64_t pid) const;
  // vitals_processes_source{source="bpf"|"procfs"} 1.
  void Emit(Families& out) const;

 private:
  void UseProcfs(const std::string& why);

  ProcessReader reader_;
  std::string unavailable_;  // Why BPF is not used (reader: bpf fails with it).
  std::unique_ptr<procfs::BpfTaskIterator> iterator_;
  procfs::TaskAggregator aggregator_;
  std::vector<procfs::BpfProcess> processes_;
  std::unordered_map<int64_t, size_t> index_;
};

// The process's counters from the iterator's facts; context switches never go below
// `last` (a thread that exits takes its switches along, as with /proc).
ProcessesCollector::Counters CountersFrom(const procfs::BpfProcess& facts,
                                          const ProcessesCollector::Counters& last);

// The procfs at `procfs_root` shows the initial pid namespace, whose pids the task
// iterator reports (a container with its own pid namespace must not use BPF).
bool ShowsInitialPidNamespace(const std::string& procfs_root);

// Whether the CapEff line of a /proc/PID/status text holds what loading a task iterator
// needs: CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN (kernels before 5.8).
bool MayLoadBpf(std::string_view status);

}  // namespace vitals::collectors
