// processes: process groups with process-exporter's metric names
// (namedprocess_namegroup_*{groupname}) plus opt-in, bounded per-PID detail.
//
// Each scrape lists /proc and reads every process's stat (to see new and gone
// processes); only processes that belong to a group also get status, io and an fd
// count. Both walks stop at the scrape deadline: what was read is published, the
// collector reports failure, and the processes not reached keep their counts. A process's group is
// decided once per lifetime, keyed by (pid, start time), from cmdline read at first sight. Group
// counters never go backwards: when a member exits, its last counts stay with the group.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "collectors/collector.h"
#include "collectors/process_identity.h"  // ProcessesOptions.
#include "collectors/processes_threads.h"
#include "procfs/kept_fd.h"
#include "procfs/pid_stat.h"
#include "procfs/proc_fs.h"

namespace vitals::collectors {

class ProcessSource;

class ProcessesCollector : public Collector {
 public:
  ProcessesCollector(const Paths& paths, const ProcessesOptions& options);
  ~ProcessesCollector() override;
  Status Collect(const ScrapeContext& context, Families& out) override;

  using Counters = ProcessCounters;

  // Where a process's counts go.
  struct Place {
    enum class Kind : uint8_t { kUnmatched, kDropped, kGroup };
    Kind kind = Kind::kUnmatched;
    size_t group = 0;  // Index into groups_ when kind is kGroup.

    bool in_group() const { return kind == Kind::kGroup; }
    bool operator==(const Place&) const = default;
  };

 private:
  struct Tracked;
  struct Group;
  struct Sample;
  struct Totals;

  bool Scan(const ScrapeContext& context);
  Result<procfs::PidStat> ReadStat(int64_t pid, procfs::KeptFd& opened);
  void ScanPid(int64_t pid);
  void Track(int64_t pid, const procfs::PidStat& stat, procfs::KeptFd opened = {});
  void Decide(int64_t pid, Tracked& tracked, const procfs::PidStat& stat);
  void ApplyDecisions();
  bool ReadSamples(const ScrapeContext& context);
  enum class Details { kComplete, kGone, kUnreadable };
  Details ReadDetails(int64_t pid, Tracked& tracked, Sample& sample);
  Counters ReadCounters(const procfs::Pid& process, Tracked& tracked,
                        const procfs::PidStatus& status);
  void ThreadsFrom(const procfs::BpfProcess& facts, Tracked& tracked);
  void ReadThreads(const procfs::Pid& process, Tracked& tracked, Counters& counters);
  void ReadSmaps(const procfs::Pid& process, Sample& sample);
  template <typename T>
  Result<T> ReadKept(const procfs::Pid& process, const char* name, procfs::KeptFd& kept,
                     Result<T> (*read_from)(int, std::string&),
                     Result<T> (procfs::Pid::*read_by_path)(std::string&) const);
  bool ReadIo(const procfs::Pid& process, Tracked& tracked, Counters& counters);
  bool CountFds(const procfs::Pid& process, Tracked& tracked, Sample& sample);
  void CountReadError(const Error& error);
  void KeepUnreadable(int64_t pid, uint64_t& error_counter);
  void Retire(Tracked& tracked);
  void RemoveEmptyGroups();
  void SumThreads();
  Place PlaceFor(const GroupMatch& match);
  std::optional<size_t> FreeSlot();
  void CountMembers();
  std::vector<Totals> SumGroups() const;
  void Emit(Families& out) const;
  void EmitScrapeErrors(Families& out) const;
  void EmitPerPid(Families& out) const;

  Paths paths_;
  ProcessesOptions options_;
  procfs::ProcFs fs_;
  std::shared_ptr<ProcessClassifier> classifier_;  // Shared with the gpu collector.
  std::unique_ptr<ProcessSource> source_;          // BPF task iterator or /proc.
  int64_t self_pid_;
  double boot_time_ = 0;
  long page_size_;
  size_t kept_fds_ = 0;  // Open kept fds; declared before tracked_, which holds them.
  size_t fd_budget_;
  std::unordered_map<int64_t, Tracked> tracked_;
  std::vector<Group> groups_;
  std::unordered_map<std::string, size_t> group_index_;
  std::vector<Sample> samples_;  // This scrape's rows of per_pid groups' members.
  std::vector<Totals> sampled_;  // This scrape's rows summed by group (not kept per row).
  std::string buffer_;
  uint64_t dropped_ = 0;
  bool warned_dropped_ = false;
  bool warned_reused_ = false;
  uint64_t scrape_ = 0;             // Collect() calls, for the groups' last_used.
  std::vector<size_t> free_slots_;  // FreeSlot()'s candidates, made once per scrape.
  uint64_t free_slots_scrape_ = 0;
  uint64_t permission_errors_ = 0;
  uint64_t parse_errors_ = 0;
  uint64_t other_errors_ = 0;
  // process-exporter's namedprocess_scrape_* counters.
  uint64_t scrape_errors_ = 0;    // Scrapes that could not list the processes at all.
  uint64_t partial_errors_ = 0;   // Grouped processes (per scrape) with a file unreadable.
  uint64_t procread_errors_ = 0;  // Processes (per scrape) whose stat or status failed.
  bool partial_ = false;          // ReadDetails()' process had a partial error.
  // Per group, its live thread names (SumThreads(), for Emit()).
  std::vector<std::map<std::string, ThreadNameTotals>> thread_totals_;
  std::vector<std::pair<size_t, Counters>> carried_;  // Counts of members without a row.
};

}  // namespace vitals::collectors
