// processes: process groups with process-exporter's metric names
// (namedprocess_namegroup_*{groupname}) plus opt-in, bounded per-PID detail.
//
// Each scrape lists /proc and reads every process's stat (to see new and gone
// processes); only processes that belong to a group also get status, io and an fd
// count. A process's group is decided once per lifetime, keyed by (pid, start time),
// from cmdline read at first sight. Group counters never go backwards: when a member
// exits, its last counts stay with the group.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "collectors/collector.h"
#include "collectors/process_matcher.h"
#include "procfs/pid_stat.h"

namespace vitals::collectors {

struct ProcessesOptions {
  std::vector<ProcessGroupSpec> groups;
  bool children = true;  // Fold unmatched descendants into their ancestor's group.
  bool recheck = false;  // Re-match every process on every scrape.
  int max_groups = 1000;

  bool operator==(const ProcessesOptions&) const = default;
};

class ProcessesCollector : public Collector {
 public:
  ProcessesCollector(const Paths& paths, const ProcessesOptions& options);
  ~ProcessesCollector() override;
  Status Collect(const ScrapeContext& context, Families& out) override;

  // Monotonic counters of one process (or the exited members of a group), in kernel
  // units: ticks, bytes, counts.
  struct Counters {
    uint64_t utime = 0, stime = 0, read_bytes = 0, write_bytes = 0, major_faults = 0,
             minor_faults = 0, voluntary = 0, nonvoluntary = 0;
    Counters& operator+=(const Counters& other);
  };

 private:
  struct Tracked;
  struct Group;
  struct Sample;

  void Scan();
  void Classify(int64_t pid, Tracked& tracked, const std::string& comm);
  void FoldChildren();
  enum class Details { kComplete, kGone, kUnreadable };
  Details ReadDetails(int64_t pid, Tracked& tracked, Sample& sample);
  void KeepUnreadable(int64_t pid, uint64_t& error_counter);
  void SumThreadSwitches(int64_t pid, Counters& counters);
  void ReadMaxOpenFiles(int64_t pid, Tracked& tracked);
  void Retire(const Tracked& tracked);
  int GroupFor(const GroupMatch& match);
  std::string Username(uint32_t uid);
  void Emit(Families& out);
  void EmitPerPid(Families& out);

  Paths paths_;
  ProcessesOptions options_;
  int proc_fd_ = -1;
  bool real_procfs_ = false;  // st_size of /proc/PID/fd counts fds (Linux 6.2+).
  int64_t self_pid_;
  double boot_time_ = 0;
  long page_size_;
  std::unordered_map<int64_t, Tracked> tracked_;
  std::vector<Group> groups_;
  std::unordered_map<std::string, int> group_index_;
  std::unordered_map<uint32_t, std::string> usernames_;
  std::vector<Sample> samples_;
  std::vector<int64_t> pending_fold_;
  std::string buffer_;
  uint64_t dropped_ = 0;
  bool warned_dropped_ = false;
  uint64_t permission_errors_ = 0;
  uint64_t parse_errors_ = 0;
  uint64_t other_errors_ = 0;
  std::vector<std::pair<int, Counters>> carried_;  // Counts of members without a row.
};

}  // namespace vitals::collectors
