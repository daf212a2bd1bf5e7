// One process identity for the processes and gpu collectors: which group a process
// belongs to is decided once per (pid, start time), from cmdline (and the username,
// when a group name uses it) read at first sight, and shared, so that GPU memory is
// charged to the same group as namedprocess_namegroup_*. A process that rewrites its
// argv later keeps the group it started in; a pid reused by a new process is decided
// afresh.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "collectors/process_matcher.h"
#include "procfs/pid_stat.h"
#include "procfs/proc_fs.h"

namespace vitals::collectors {

// The processes: config section.
// Where the processes collector reads per-process facts (processes_source.h).
enum class ProcessReader : uint8_t { kAuto, kProcfs, kBpf };

struct ProcessesOptions {
  std::vector<ProcessGroupSpec> groups;
  bool children = true;  // Fold unmatched descendants into their ancestor's group.
  bool recheck = false;  // Re-match every process on every scrape.
  int max_groups = 1000;
  bool threads = true;               // process-exporter's -threads (its default is true).
  bool gather_smaps = false;         // process-exporter's -gather-smaps (its default: true).
  bool remove_empty_groups = false;  // process-exporter 0.8's -remove-empty-groups.
  ProcessReader reader = ProcessReader::kAuto;
  // /proc/PID/{stat,status,io} files kept open between scrapes (0: none). Each costs the
  // kernel about 4 KiB (its seq_file buffer, charged to the exporter's cgroup).
  int kept_files = 4096;

  bool operator==(const ProcessesOptions&) const = default;
};

// Parent links followed to fold a child into its ancestor's group.
constexpr int kMaxAncestry = 256;

struct Identity {
  std::optional<GroupMatch> group;  // Unset: in no group.
  bool inherited = false;           // From an ancestor (children folding), not its own match.
};

class ProcessClassifier {
 public:
  // The classifier of every collector that reads `procfs_root` with equal options,
  // created on first use; a reload that changes them gets a fresh one (so its
  // options(), max_groups included, are always the caller's).
  static std::shared_ptr<ProcessClassifier> Shared(const std::string& procfs_root,
                                                   const ProcessesOptions& options);

  ProcessClassifier(const std::string& procfs_root, const ProcessesOptions& options);
  ProcessClassifier(const ProcessClassifier&) = delete;
  ProcessClassifier& operator=(const ProcessClassifier&) = delete;

  const ProcessesOptions& options() const { return options_; }

  // The identity of live process `pid`, whose stat was just read: its own match or,
  // with children on, that of its nearest matching ancestor (kMaxAncestry links at
  // most). Decided at the first call for a (pid, start time) and kept; `rematch`
  // decides again (the recheck option).
  Identity Classify(int64_t pid, const procfs::PidStat& stat, bool rematch = false);
  // The same, reading the stat; nullopt when the process is gone or unreadable.
  std::optional<Identity> Classify(int64_t pid);
  // `pid` exited: forget it.
  void Forget(int64_t pid);

 private:
  struct Entry {
    uint64_t start_time = 0;
    int64_t ppid = 0;
    bool matched = false;
    std::optional<GroupMatch> own;  // Valid when `matched`.
    std::optional<Identity> decided;
    std::chrono::steady_clock::time_point used;
  };

  Identity ClassifyLocked(int64_t pid, const procfs::PidStat& stat, bool rematch);
  Entry& Refresh(int64_t pid, const procfs::PidStat& stat);
  std::optional<GroupMatch> MatchOwn(int64_t pid, const procfs::PidStat& stat);
  std::optional<GroupMatch> Inherit(int64_t ancestor);
  Entry* Ancestor(int64_t pid);
  std::string Username(uint32_t uid);
  std::string Cgroups(const procfs::Pid& process);
  void PruneUnused();

  procfs::ProcFs fs_;
  ProcessesOptions options_;
  bool uses_username_;
  bool uses_cgroups_;
  int64_t self_pid_;
  std::mutex mutex_;  // Collectors of one scrape run in turn; a reload may overlap.
  std::unordered_map<int64_t, Entry> entries_;
  std::unordered_map<uint32_t, std::string> usernames_;
  std::string buffer_;
  std::chrono::steady_clock::time_point pruned_;
};

}  // namespace vitals::collectors
