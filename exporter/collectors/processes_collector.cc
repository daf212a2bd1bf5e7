#include "collectors/processes_collector.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>

#include "collectors/metric_builder.h"
#include "collectors/processes_source.h"
#include "procfs/pid_smaps.h"
#include "procfs/proc_stat.h"

namespace vitals::collectors {
namespace {

using Counters = ProcessesCollector::Counters;
using Place = ProcessesCollector::Place;

std::string_view StateName(char state) {
  switch (state) {
    case 'R':
      return "Running";
    case 'S':
      return "Sleeping";
    case 'D':
      return "Waiting";
    case 'Z':
      return "Zombie";
    default:
      return "Other";
  }
}

constexpr std::array<std::string_view, 5> kStates = {"Other", "Running", "Sleeping", "Waiting",
                                                     "Zombie"};

}  // namespace

struct ProcessesCollector::Tracked {
  uint64_t start_time = 0;
  Place place;
  std::optional<Place> decided;  // Decided this scrape, applied after the scan.
  bool seen = false;
  bool unreadable = false;  // Alive, but its files could not be read this scrape.
  bool is_new = true;
  Counters last;  // Latest counters of the process.
  Counters base;  // Counters when it joined its current group (0 unless it moved).
  std::optional<uint64_t> max_open_files;
  ProcessThreads threads;  // With the threads option, when it has more than one.
  // /proc/PID/stat, status and io, open for this process's life (within the budget).
  procfs::KeptFd stat_fd, status_fd, io_fd;
  procfs::PidStat stat;  // This scrape's stat; comm is not kept (it points into a buffer).
};

struct ProcessesCollector::Group {
  std::string name;
  size_t spec_index = 0;
  Counters exited;                    // What members that exited (or moved away) had accumulated.
  ThreadNameCounters threads_exited;  // The same for their threads, by thread name.
  bool named_by_template = false;     // Only these free their slot (fixed names always stay).
  uint64_t members = 0;               // Tracked processes in it after the last scrape.
  uint64_t last_used = 0;             // Last scrape it had members or was chosen.
};

struct ProcessesCollector::Sample {
  int64_t pid = 0;
  size_t group = 0;
  Counters counters;  // Since joining the group.
  uint64_t resident = 0, virtual_bytes = 0, swapped = 0, shared = 0;
  uint64_t open_fds = 0;
  uint64_t pss = 0, swap_pss = 0;  // gather_smaps.
  double fd_ratio = 0;
  int64_t threads = 0;
  char state = '?';
  uint64_t start_time = 0;
  std::string cpus;
  int cpu_count = 0;
};

struct ProcessesCollector::Totals {
  Counters counters;
  uint64_t procs = 0, resident = 0, virtual_bytes = 0, swapped = 0, shared = 0, fds = 0, pss = 0,
           swap_pss = 0;
  double worst_fd_ratio = 0;
  int64_t threads = 0;
  std::array<uint64_t, kStates.size()> states{};
  uint64_t oldest = UINT64_MAX;

  // One process's row into its group's sums.
  void Add(const Sample& s) {
    counters += s.counters;
    ++procs;
    resident += s.resident;
    virtual_bytes += s.virtual_bytes;
    swapped += s.swapped;
    shared += s.shared;
    fds += s.open_fds;
    pss += s.pss;
    swap_pss += s.swap_pss;
    worst_fd_ratio = std::max(worst_fd_ratio, s.fd_ratio);
    threads += s.threads;
    const auto state = std::find(kStates.begin(), kStates.end(), StateName(s.state));
    ++states[state - kStates.begin()];
    oldest = std::min(oldest, s.start_time);
  }
};

namespace {

// Kept fds: at most `kept_files` and half the soft RLIMIT_NOFILE (the rest for scrapes,
// listeners and the other collectors). Each costs the kernel about a page (the
// seq_file buffer) while open.
size_t KeptFdBudget(int kept_files) {
  const auto most = static_cast<size_t>(kept_files);
  struct rlimit limit {};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return most;
  return std::min<size_t>(most, static_cast<size_t>(limit.rlim_cur / 2));
}

}  // namespace

ProcessesCollector::ProcessesCollector(const Paths& paths, const ProcessesOptions& options)
    : paths_(paths),
      options_(options),
      fs_(paths.procfs),
      classifier_(ProcessClassifier::Shared(paths.procfs, options)),
      source_(std::make_unique<ProcessSource>(options.reader, paths.procfs, fs_.is_real(),
                                              options.threads)),
      self_pid_(getpid()),
      page_size_(sysconf(_SC_PAGESIZE)),
      fd_budget_(KeptFdBudget(options.kept_files)) {
  // Groups with a fixed name exist before any process is seen: they report num_procs 0.
  for (size_t i = 0; i < options_.groups.size(); ++i) {
    const auto& spec = options_.groups[i];
    if (spec.name.IsStatic() && !group_index_.contains(spec.name.text())) {
      group_index_[spec.name.text()] = groups_.size();
      groups_.push_back({spec.name.text(), i, {}, {}, false, 0, 0});
    }
  }
  if (auto text = fs_.ReadFile("stat", buffer_); text.ok()) {
    if (auto stat = procfs::ParseProcStat(*text); stat.ok() && stat->boot_time) {
      boot_time_ = static_cast<double>(*stat->boot_time);
    }
  }
}

ProcessesCollector::~ProcessesCollector() = default;

Place ProcessesCollector::PlaceFor(const GroupMatch& match) {
  if (auto it = group_index_.find(match.name); it != group_index_.end()) {
    groups_[it->second].last_used = scrape_;
    return {Place::Kind::kGroup, it->second};
  }
  const Group fresh{match.name, match.spec_index, {}, {}, true, 0, scrape_};
  if (static_cast<int>(groups_.size()) < options_.max_groups) {
    group_index_[match.name] = groups_.size();
    groups_.push_back(fresh);
    return {Place::Kind::kGroup, groups_.size() - 1};
  }
  if (const auto slot = FreeSlot()) {
    group_index_.erase(groups_[*slot].name);
    group_index_[match.name] = *slot;
    groups_[*slot] = fresh;
    return {Place::Kind::kGroup, *slot};
  }
  if (!warned_dropped_) {
    spdlog::warn(
        "processes: max_groups ({}) reached and every group has live processes; further "
        "processes are not grouped (counted in vitals_process_groups_dropped_total)",
        options_.max_groups);
    warned_dropped_ = true;
  }
  return {Place::Kind::kDropped};
}

// At max_groups, the slot of a template-named group whose processes have all exited
// (least recently used first) is given to the new group, so throwaway names cannot
// keep a process started later out for good. The old group's series end there.
std::optional<size_t> ProcessesCollector::FreeSlot() {
  if (free_slots_scrape_ != scrape_) {
    free_slots_scrape_ = scrape_;
    free_slots_.clear();
    for (size_t i = 0; i < groups_.size(); ++i) {
      if (groups_[i].named_by_template && groups_[i].members == 0) free_slots_.push_back(i);
    }
    // Most recently used first, so pop_back() takes the least recently used.
    std::sort(free_slots_.begin(), free_slots_.end(),
              [this](size_t a, size_t b) { return groups_[a].last_used > groups_[b].last_used; });
  }
  while (!free_slots_.empty()) {
    const size_t slot = free_slots_.back();
    free_slots_.pop_back();
    // Not one chosen for a process during this scrape.
    if (groups_[slot].last_used < scrape_) {
      if (!warned_reused_) {
        spdlog::info(
            "processes: max_groups ({}) reached; reusing the slots of groups whose processes "
            "have all exited",
            options_.max_groups);
        warned_reused_ = true;
      }
      return slot;
    }
  }
  return std::nullopt;
}

// Members per group after the scrape: what FreeSlot() goes by.
void ProcessesCollector::CountMembers() {
  for (Group& group : groups_) group.members = 0;
  for (const auto& [pid, tracked] : tracked_) {
    if (!tracked.place.in_group()) continue;
    Group& group = groups_[tracked.place.group];
    ++group.members;
    group.last_used = scrape_;
  }
}

// Asks the shared classifier every scrape (which keeps its entry fresh) but takes
// its answer only for a new process, or for every process with recheck.
void ProcessesCollector::Decide(int64_t pid, Tracked& tracked, const procfs::PidStat& stat) {
  const Identity identity = classifier_->Classify(pid, stat, options_.recheck);
  if (!tracked.is_new && !options_.recheck) return;
  const Place place = identity.group ? PlaceFor(*identity.group) : Place{};
  // Counted once per process (recheck re-matches the same process every scrape);
  // a child folded into a dropped group was never matched itself.
  if (place.kind == Place::Kind::kDropped && !identity.inherited &&
      tracked.place.kind != Place::Kind::kDropped) {
    ++dropped_;
  }
  tracked.decided = place;
}

// A known process whose files fail to read (not because it exited) stays tracked: were
// it forgotten, it would come back as a new process and its counts would add up twice.
void ProcessesCollector::KeepUnreadable(int64_t pid, uint64_t& error_counter) {
  ++error_counter;  // Not a procread error: process-exporter skips such a process silently.
  if (auto it = tracked_.find(pid); it != tracked_.end()) {
    it->second.seen = true;
    it->second.unreadable = true;
    it->second.decided.reset();
  }
}

void ProcessesCollector::Track(int64_t pid, const procfs::PidStat& stat, procfs::KeptFd opened) {
  auto [it, inserted] = tracked_.try_emplace(pid);
  Tracked& tracked = it->second;
  if (!inserted && tracked.start_time != stat.start_time) {  // The pid was reused.
    Retire(tracked);
    tracked = Tracked{};
    inserted = true;
  }
  if (opened.ok()) tracked.stat_fd = std::move(opened);
  tracked.start_time = stat.start_time;
  tracked.seen = true;
  tracked.unreadable = false;
  tracked.is_new = inserted;
  tracked.decided.reset();
  Decide(pid, tracked, stat);
  tracked.stat = stat;
  tracked.stat.comm = {};  // Points into buffer_, which the next read overwrites.
}

// The stat of `pid`: from the fd kept open for it while it lives, else by path (keeping
// the new fd in `opened` while the budget allows). A kept fd that fails to read belongs
// to a process that exited (ESRCH), even if the pid now names another: that one is
// read by path. Only a real procfs: a fixture file rewritten by rename would keep the
// old contents behind an open fd.
Result<procfs::PidStat> ProcessesCollector::ReadStat(int64_t pid, procfs::KeptFd& opened) {
  const auto it = tracked_.find(pid);
  if (it != tracked_.end() && it->second.stat_fd.ok()) {
    auto stat = procfs::Pid::StatFrom(it->second.stat_fd.get(), buffer_);
    if (stat.ok() || stat.sys_errno() == 0) return stat;
    it->second.stat_fd.Reset();
  }
  return ReadKept(procfs::Pid(fs_, pid), "stat", opened, &procfs::Pid::StatFrom,
                  &procfs::Pid::Stat);
}

void ProcessesCollector::ScanPid(int64_t pid) {
  procfs::KeptFd opened;
  auto stat = ReadStat(pid, opened);
  if (stat.ok()) {
    Track(pid, *stat, std::move(opened));
  } else if (stat.sys_errno() == 0) {
    KeepUnreadable(pid, parse_errors_);
  } else if (!stat.failure().Vanished()) {
    KeepUnreadable(pid, other_errors_);
  }
}

// False when the deadline cut the listing short.
bool ProcessesCollector::Scan(const ScrapeContext& context) {
  bool complete = true;
  if (source_->bpf()) {
    for (const procfs::BpfProcess& process : source_->processes()) {
      if (process.pid != self_pid_) Track(process.pid, process.AsStat());
    }
    // The task iterator of some kernels (6.18 here) starts at pid 2: read pid 1 from /proc.
    if (source_->Find(1) == nullptr && self_pid_ != 1) ScanPid(1);
    return complete;
  }
  const Status listed = fs_.ForEachPid([&](int64_t pid) {
    if (context.Expired()) {
      complete = false;
      return false;
    }
    if (pid != self_pid_) ScanPid(pid);  // Never match ourselves.
    return true;
  });
  if (!listed.ok()) {
    ++scrape_errors_;  // Like process-exporter: the process list itself failed.
    complete = false;
  }
  if (!complete) {
    // The processes not reached are not gone: keep them (no row, counts carried), or
    // they would retire now and be counted again as new processes next scrape.
    for (auto& [pid, tracked] : tracked_) {
      if (tracked.seen) continue;
      tracked.seen = true;
      tracked.unreadable = true;
      tracked.decided.reset();
    }
  }
  return complete;
}

void ProcessesCollector::ApplyDecisions() {
  for (auto& [pid, tracked] : tracked_) {
    if (!tracked.seen || !tracked.decided || *tracked.decided == tracked.place) continue;
    if (tracked.place.in_group()) {  // Moved on recheck: its past stays with the old group.
      groups_[tracked.place.group].exited += tracked.last - tracked.base;
      tracked.base = tracked.last;
      tracked.threads.RetireAll(groups_[tracked.place.group].threads_exited);
    } else if (!tracked.is_new) {
      tracked.base = tracked.last;
    }
    tracked.place = *tracked.decided;
  }
}

void ProcessesCollector::Retire(Tracked& tracked) {
  if (tracked.place.in_group()) {
    Group& group = groups_[tracked.place.group];
    group.exited += tracked.last - tracked.base;
    tracked.threads.RetireAll(group.threads_exited);
  }
}

void ProcessesCollector::CountReadError(const Error& error) {
  partial_ = true;
  if (error.sys_errno == 0) {
    ++parse_errors_;
  } else {
    // Another user's process without CAP_SYS_PTRACE: count it, keep the rest of the row.
    ++(error.Denied() ? permission_errors_ : other_errors_);
  }
}

ProcessesCollector::Counters ProcessesCollector::ReadCounters(const procfs::Pid& process,
                                                              Tracked& tracked,
                                                              const procfs::PidStatus& status) {
  const procfs::PidStat& stat = tracked.stat;
  Counters now = tracked.last;
  now.utime = stat.utime;
  now.stime = stat.stime;
  now.minor_faults = stat.minor_faults;
  now.major_faults = stat.major_faults;
  now.voluntary = status.voluntary_ctxt_switches;
  now.nonvoluntary = status.nonvoluntary_ctxt_switches;
  // status counts the main thread only; process-exporter sums every thread.
  if (options_.threads) {
    ReadThreads(process, tracked, now);
  } else if (stat.num_threads > 1) {
    // Unreadable: keep the main thread's counts.
    if (auto sum = process.SumThreadSwitches(buffer_); sum.ok()) {
      now.voluntary = sum->voluntary;
      now.nonvoluntary = sum->nonvoluntary;
    }
  }
  // A thread that exits takes its switches along: the sum must still never go back.
  now.voluntary = std::max(now.voluntary, tracked.last.voluntary);
  now.nonvoluntary = std::max(now.nonvoluntary, tracked.last.nonvoluntary);
  return now;
}

// The threads option: every thread of a multi-threaded process, which also gives the
// switches summed over its threads. A process down to one thread leaves the thread
// families (process-exporter publishes threads of multi-threaded processes only).
void ProcessesCollector::ReadThreads(const procfs::Pid& process, Tracked& tracked,
                                     Counters& counters) {
  ThreadNameCounters& exited = groups_[tracked.place.group].threads_exited;
  if (tracked.stat.num_threads <= 1) {
    tracked.threads.RetireAll(exited);
    return;
  }
  bool partial = false;
  tracked.threads.Read(process, buffer_, exited, partial);
  if (partial) partial_ = true;
  if (!tracked.threads.empty()) {
    std::tie(counters.voluntary, counters.nonvoluntary) = tracked.threads.SumSwitches();
  } else if (auto sum = process.SumThreadSwitches(buffer_); sum.ok()) {
    counters.voluntary = sum->voluntary;  // No thread's stat could be read: status only.
    counters.nonvoluntary = sum->nonvoluntary;
  }
}

// The threads option on the task iterator's facts: the thread families without
// /proc/PID/task reads (the process's own counters are the iterator's already).
void ProcessesCollector::ThreadsFrom(const procfs::BpfProcess& facts, Tracked& tracked) {
  ThreadNameCounters& exited = groups_[tracked.place.group].threads_exited;
  if (facts.threads.size() <= 1) {
    tracked.threads.RetireAll(exited);
    return;
  }
  tracked.threads.Update(facts.threads, exited);
}

// gather_smaps: proportional memory from smaps_rollup. Not for a process without memory
// (a kernel thread or zombie reads ESRCH there, which is not an exit).
void ProcessesCollector::ReadSmaps(const procfs::Pid& process, Sample& sample) {
  auto text = process.ReadFile("smaps_rollup", buffer_);
  if (!text.ok()) {
    if (!text.failure().Vanished()) CountReadError(text.failure());
    return;
  }
  auto rollup = procfs::ParseSmapsRollup(*text);
  if (!rollup.ok()) {
    CountReadError(rollup.failure());
    return;
  }
  sample.pss = rollup->pss;
  sample.swap_pss = rollup->swap_pss;
}

// `name` of a process whose stat was read this scrape: through the fd kept for it, else
// by path, keeping the fd opened for that while the budget allows (a real procfs only,
// as for stat). A kept fd that fails belongs to a process that exited (ESRCH).
template <typename T>
Result<T> ProcessesCollector::ReadKept(const procfs::Pid& process, const char* name,
                                       procfs::KeptFd& kept,
                                       Result<T> (*read_from)(int, std::string&),
                                       Result<T> (procfs::Pid::*read_by_path)(std::string&) const) {
  if (kept.ok()) {
    auto value = read_from(kept.get(), buffer_);
    if (!value.ok() && value.sys_errno() != 0) kept.Reset();
    return value;
  }
  if (!fs_.is_real() || kept_fds_ >= fd_budget_) return (process.*read_by_path)(buffer_);
  auto fd = process.Open(name);
  if (!fd.ok()) return fd.failure();
  procfs::KeptFd opened(*fd, &kept_fds_);
  auto value = read_from(opened.get(), buffer_);
  if (value.ok()) kept = std::move(opened);
  return value;
}

// False when the process exited meanwhile.
bool ProcessesCollector::ReadIo(const procfs::Pid& process, Tracked& tracked, Counters& counters) {
  auto io = ReadKept(process, "io", tracked.io_fd, &procfs::Pid::IoFrom, &procfs::Pid::Io);
  if (io.ok()) {
    counters.read_bytes = io->read_bytes;
    counters.write_bytes = io->write_bytes;
    return true;
  }
  if (io.failure().Vanished()) return false;
  CountReadError(io.failure());
  return true;
}

// The fd count and its ratio to the limit; false when the process exited meanwhile.
bool ProcessesCollector::CountFds(const procfs::Pid& process, Tracked& tracked, Sample& sample) {
  // A kernel thread (kthreadd or its child, no memory) has no fds: 0 and ratio 0 without
  // reading fd/ or limits.
  const procfs::PidStat& stat = tracked.stat;
  if (stat.vsize == 0 && (process.id() == 2 || stat.ppid == 2)) return true;
  if (auto fds = process.FdCount(); fds.ok()) {
    sample.open_fds = *fds;
  } else if (fds.failure().Vanished()) {
    return false;
  } else {
    CountReadError(fds.failure());
  }
  // Every scrape: an admin raising a limit with prlimit(1) must see the ratio drop.
  if (auto limit = process.MaxOpenFiles(buffer_); limit.ok()) {
    tracked.max_open_files = *limit;
  } else if (!limit.failure().Vanished()) {
    ++procread_errors_;  // process-exporter fails the whole process on limits.
  }
  if (tracked.max_open_files && *tracked.max_open_files > 0) {
    sample.fd_ratio =
        static_cast<double>(sample.open_fds) / static_cast<double>(*tracked.max_open_files);
  }
  return true;
}

ProcessesCollector::Details ProcessesCollector::ReadDetails(int64_t pid, Tracked& tracked,
                                                            Sample& sample) {
  const procfs::Pid process(fs_, pid);
  partial_ = false;
  const bool per_pid = options_.groups[groups_[tracked.place.group].spec_index].per_pid;
  // The task iterator's facts; per_pid groups still read status for the CPU list.
  const procfs::BpfProcess* facts = source_->Find(pid);
  auto status = facts != nullptr && !per_pid
                    ? Result<procfs::PidStatus>(facts->AsStatus())
                    : ReadKept(process, "status", tracked.status_fd, &procfs::Pid::StatusFrom,
                               &procfs::Pid::Status);
  if (!status.ok()) {
    if (status.failure().Vanished()) return Details::kGone;
    ++(status.sys_errno() == 0 ? parse_errors_ : other_errors_);
    ++procread_errors_;
    return Details::kUnreadable;
  }
  const procfs::PidStat& stat = tracked.stat;
  sample.resident = static_cast<uint64_t>(std::max<int64_t>(stat.rss_pages, 0)) * page_size_;
  sample.virtual_bytes = stat.vsize;
  sample.swapped = status->vm_swap;
  sample.shared = status->rss_file + status->rss_shmem;
  if (per_pid) {
    sample.cpus = std::string(status->cpus_allowed_list);  // Before buffer_ is reused.
    sample.cpu_count = procfs::CountCpuList(sample.cpus).value_or(0);
  }
  Counters now = facts != nullptr ? CountersFrom(*facts, tracked.last)
                                  : ReadCounters(process, tracked, *status);
  if (facts != nullptr && options_.threads) ThreadsFrom(*facts, tracked);
  if ((facts == nullptr || !facts->has_io) && !ReadIo(process, tracked, now)) {
    return Details::kGone;
  }
  if (facts != nullptr && facts->has_fds) {
    sample.open_fds = facts->open_fds;
    tracked.max_open_files = facts->max_open_files;
    if (tracked.max_open_files && *tracked.max_open_files > 0) {
      sample.fd_ratio =
          static_cast<double>(sample.open_fds) / static_cast<double>(*tracked.max_open_files);
    }
  } else if (!CountFds(process, tracked, sample)) {
    return Details::kGone;
  }
  if (options_.gather_smaps && stat.vsize > 0) ReadSmaps(process, sample);
  if (partial_) ++partial_errors_;

  tracked.last = now;
  sample.pid = pid;
  sample.group = tracked.place.group;
  sample.counters = now - tracked.base;
  sample.threads = stat.num_threads;
  sample.state = stat.state;
  sample.start_time = stat.start_time;
  return Details::kComplete;
}

// False when the deadline left some members without a row (their counts carried).
bool ProcessesCollector::ReadSamples(const ScrapeContext& context) {
  samples_.clear();
  sampled_.assign(groups_.size(), Totals{});
  carried_.clear();
  bool complete = true;
  for (auto& [pid, tracked] : tracked_) {
    if (!tracked.seen || !tracked.place.in_group()) continue;
    Sample sample;
    if (complete && context.Expired()) complete = false;
    const Details details =
        tracked.unreadable || !complete ? Details::kUnreadable : ReadDetails(pid, tracked, sample);
    if (details == Details::kGone) {
      tracked.seen = false;  // Exited mid-read: no partial row; it retires below.
      continue;
    }
    if (details == Details::kUnreadable) {
      // No row this scrape, but its counts stay in the group's counters.
      carried_.emplace_back(tracked.place.group, tracked.last - tracked.base);
      continue;
    }
    sampled_[sample.group].Add(sample);
    // Only per_pid groups publish rows; the others need the sums alone (at 5000
    // processes the rows were 2.6 MiB at their peak).
    if (options_.groups[groups_[sample.group].spec_index].per_pid) {
      samples_.push_back(std::move(sample));
    }
  }
  return complete;
}

Status ProcessesCollector::Collect(const ScrapeContext& context, Families& out) {
  if (!fs_.ok()) {
    ++scrape_errors_;
    EmitScrapeErrors(out);
    return Status::Fail("cannot open " + paths_.procfs);
  }
  if (Status source = source_->Refresh(); !source.ok()) {
    ++scrape_errors_;
    EmitScrapeErrors(out);
    return source;
  }
  ++scrape_;
  for (auto& [pid, tracked] : tracked_) tracked.seen = false;
  const bool scanned = Scan(context);
  ApplyDecisions();
  const bool read = ReadSamples(context);
  for (auto it = tracked_.begin(); it != tracked_.end();) {
    if (it->second.seen) {
      ++it;
      continue;
    }
    Retire(it->second);
    classifier_->Forget(it->first);
    it = tracked_.erase(it);
  }
  CountMembers();
  if (options_.remove_empty_groups) RemoveEmptyGroups();
  if (options_.threads) SumThreads();
  Emit(out);
  EmitPerPid(out);
  source_->Emit(out);
  if (!scanned || !read) {
    // What was read is published; the rest keeps its counts for the next scrape.
    return Status::Fail(std::string("scrape deadline reached while ") +
                        (scanned ? "reading group members" : "listing processes") +
                        "; the processes not reached have no row this time");
  }
  return Status::Ok();
}

// remove_empty_groups: a group whose processes have all exited forgets what they used
// (Emit() skips it), as process-exporter's -remove-empty-groups drops its accumulators;
// when a process joins it again, its counters start afresh.
void ProcessesCollector::RemoveEmptyGroups() {
  for (Group& group : groups_) {
    if (group.members > 0) continue;
    group.exited = {};
    group.threads_exited.clear();
  }
  std::erase_if(carried_, [this](const auto& item) { return groups_[item.first].members == 0; });
}

void ProcessesCollector::SumThreads() {
  thread_totals_.assign(groups_.size(), {});
  for (const auto& [pid, tracked] : tracked_) {
    if (tracked.seen && tracked.place.in_group()) {
      tracked.threads.AddTo(thread_totals_[tracked.place.group]);
    }
  }
  for (size_t i = 0; i < groups_.size(); ++i) {
    PruneExitedThreadNames(groups_[i].threads_exited, thread_totals_[i]);
    for (auto& [name, totals] : thread_totals_[i]) {
      if (auto it = groups_[i].threads_exited.find(name); it != groups_[i].threads_exited.end()) {
        totals.counters += it->second;
      }
    }
  }
}

std::vector<ProcessesCollector::Totals> ProcessesCollector::SumGroups() const {
  std::vector<Totals> totals = sampled_;
  totals.resize(groups_.size());
  for (size_t i = 0; i < groups_.size(); ++i) totals[i].counters += groups_[i].exited;
  for (const auto& [group, counters] : carried_) totals[group].counters += counters;
  return totals;
}

namespace {

// process-exporter's namegroup families, in its order.
struct GroupFamilies {
  prometheus::MetricFamily *procs, *cpu, *read, *written, *major, *minor, *switches, *memory, *fds,
      *ratio, *oldest, *threads, *states;
};

GroupFamilies AddGroupFamilies(Families& out) {
  constexpr std::string_view kPrefix = "namedprocess_namegroup_";
  auto family = [&](std::string_view name, const char* help, prometheus::MetricType type) {
    return &AddFamily(out, std::string(kPrefix) + std::string(name), help, type);
  };
  GroupFamilies f{};
  f.procs = family("num_procs", "number of processes in this group", kGauge);
  f.cpu = family("cpu_seconds_total", "CPU time consumed by this group, in seconds", kCounter);
  f.read = family("read_bytes_total", "number of bytes read by this group", kCounter);
  f.written = family("write_bytes_total", "number of bytes written by this group", kCounter);
  f.major = family("major_page_faults_total", "Major page faults", kCounter);
  f.minor = family("minor_page_faults_total", "Minor page faults", kCounter);
  f.switches = family("context_switches_total", "Context switches", kCounter);
  f.memory = family("memory_bytes", "number of bytes of memory in use", kGauge);
  f.fds = family("open_filedesc", "number of open file descriptors for this group", kGauge);
  f.ratio = family("worst_fd_ratio",
                   "the worst (closest to 1) ratio between open fds and max fds among all "
                   "procs in this group",
                   kGauge);
  f.oldest = family("oldest_start_time_seconds",
                    "start time in seconds since 1970/01/01 of oldest process in group", kGauge);
  f.threads = family("num_threads", "Number of threads", kGauge);
  f.states = family("states",
                    "Number of processes in states Running, Sleeping, Waiting, Zombie, or "
                    "Other",
                    kGauge);
  return f;
}

void AddCounterSamples(const GroupFamilies& f, const Counters& c, const Label& group) {
  AddSample(*f.cpu, static_cast<double>(c.stime) / procfs::kUserHz, {group, {"mode", "system"}});
  AddSample(*f.cpu, static_cast<double>(c.utime) / procfs::kUserHz, {group, {"mode", "user"}});
  AddSample(*f.read, static_cast<double>(c.read_bytes), {group});
  AddSample(*f.written, static_cast<double>(c.write_bytes), {group});
  AddSample(*f.major, static_cast<double>(c.major_faults), {group});
  AddSample(*f.minor, static_cast<double>(c.minor_faults), {group});
  AddSample(*f.switches, static_cast<double>(c.nonvoluntary),
            {{"ctxswitchtype", "nonvoluntary"}, group});
  AddSample(*f.switches, static_cast<double>(c.voluntary), {{"ctxswitchtype", "voluntary"}, group});
}

}  // namespace

void ProcessesCollector::Emit(Families& out) const {
  const std::vector<Totals> totals = SumGroups();
  const GroupFamilies f = AddGroupFamilies(out);
  for (size_t i = 0; i < groups_.size(); ++i) {
    if (options_.remove_empty_groups && groups_[i].members == 0) continue;
    const Totals& t = totals[i];
    const Label group{"groupname", groups_[i].name};
    AddSample(*f.procs, static_cast<double>(t.procs), {group});
    AddCounterSamples(f, t.counters, group);
    AddSample(*f.memory, static_cast<double>(t.resident), {group, {"memtype", "resident"}});
    AddSample(*f.memory, static_cast<double>(t.shared), {group, {"memtype", "shared"}});
    AddSample(*f.memory, static_cast<double>(t.swapped), {group, {"memtype", "swapped"}});
    AddSample(*f.memory, static_cast<double>(t.virtual_bytes), {group, {"memtype", "virtual"}});
    if (options_.gather_smaps) {
      AddSample(*f.memory, static_cast<double>(t.pss),
                {group, {"memtype", "proportionalResident"}});
      AddSample(*f.memory, static_cast<double>(t.swap_pss),
                {group, {"memtype", "proportionalSwapped"}});
    }
    AddSample(*f.fds, static_cast<double>(t.fds), {group});
    AddSample(*f.ratio, t.worst_fd_ratio, {group});
    if (t.procs > 0) {
      // Whole seconds, like process-exporter (Go's time.Time.Unix() truncates).
      AddSample(*f.oldest, std::floor(boot_time_ + static_cast<double>(t.oldest) / procfs::kUserHz),
                {group});
    }
    AddSample(*f.threads, static_cast<double>(t.threads), {group});
    for (size_t k = 0; k < kStates.size(); ++k) {
      AddSample(*f.states, static_cast<double>(t.states[k]), {group, {"state", kStates[k]}});
    }
  }
  if (options_.threads) {
    std::vector<std::pair<std::string_view, std::map<std::string, ThreadNameTotals>>> threads;
    for (size_t i = 0; i < groups_.size(); ++i) {
      if (options_.remove_empty_groups && groups_[i].members == 0) continue;
      threads.emplace_back(groups_[i].name, thread_totals_[i]);
    }
    AddThreadFamilies(out, threads);
  }
  EmitScrapeErrors(out);
  AddSingle(out, "vitals_process_groups_dropped_total",
            "Processes first seen after max_groups was reached, so not counted in any group.",
            kCounter, static_cast<double>(dropped_));
  auto& errors = AddFamily(out, "vitals_process_read_errors_total",
                           "Per-process files that could not be read, by reason (a process "
                           "exiting mid-read is not an error).",
                           kCounter);
  AddSample(errors, static_cast<double>(permission_errors_), {{"reason", "permission"}});
  AddSample(errors, static_cast<double>(parse_errors_), {{"reason", "malformed"}});
  AddSample(errors, static_cast<double>(other_errors_), {{"reason", "other"}});
}

// process-exporter's names, TYPE (counter, without _total) and HELP.
void ProcessesCollector::EmitScrapeErrors(Families& out) const {
  AddSingle(out, "namedprocess_scrape_errors",
            "general scrape errors: no proc metrics collected during a cycle", kCounter,
            static_cast<double>(scrape_errors_));
  AddSingle(out, "namedprocess_scrape_partial_errors",
            "incremented each time a tracked proc's metrics collection fails partially, e.g. "
            "unreadable I/O stats",
            kCounter, static_cast<double>(partial_errors_));
  AddSingle(out, "namedprocess_scrape_procread_errors",
            "incremented each time a proc's metrics collection fails", kCounter,
            static_cast<double>(procread_errors_));
}

void ProcessesCollector::EmitPerPid(Families& out) const {
  std::vector<const Sample*> chosen;
  for (size_t g = 0; g < groups_.size(); ++g) {
    const ProcessGroupSpec& spec = options_.groups[groups_[g].spec_index];
    if (!spec.per_pid) continue;
    std::vector<const Sample*> members;
    for (const Sample& s : samples_) {
      if (s.group == g) members.push_back(&s);
    }
    const size_t keep = std::min(members.size(), static_cast<size_t>(spec.max_pids));
    // Top by CPU time used; ties by pid so the chosen set is stable.
    std::partial_sort(members.begin(), members.begin() + keep, members.end(),
                      [](const Sample* a, const Sample* b) {
                        const uint64_t ca = a->counters.utime + a->counters.stime;
                        const uint64_t cb = b->counters.utime + b->counters.stime;
                        return ca != cb ? ca > cb : a->pid < b->pid;
                      });
    chosen.insert(chosen.end(), members.begin(), members.begin() + keep);
  }
  if (chosen.empty()) return;
  auto& cpu = AddFamily(out, "vitals_process_cpu_seconds_total",
                        "CPU time of one process of a per_pid group, in seconds.", kCounter);
  auto& memory = AddFamily(out, "vitals_process_memory_bytes",
                           "Memory of one process of a per_pid group, by type.", kGauge);
  auto& affinity = AddFamily(out, "vitals_process_cpu_affinity",
                             "Number of CPUs the process may run on.", kGauge);
  auto& affinity_info = AddFamily(out, "vitals_process_cpu_affinity_info",
                                  "CPUs the process may run on, as a list, value 1.", kGauge);
  for (const Sample* s : chosen) {
    const std::string pid = std::to_string(s->pid);
    const Label group{"groupname", groups_[s->group].name};
    const Label pid_label{"pid", pid};
    AddSample(cpu, static_cast<double>(s->counters.stime) / procfs::kUserHz,
              {group, {"mode", "system"}, pid_label});
    AddSample(cpu, static_cast<double>(s->counters.utime) / procfs::kUserHz,
              {group, {"mode", "user"}, pid_label});
    AddSample(memory, static_cast<double>(s->resident),
              {group, {"memtype", "resident"}, pid_label});
    AddSample(memory, static_cast<double>(s->shared), {group, {"memtype", "shared"}, pid_label});
    AddSample(memory, static_cast<double>(s->swapped), {group, {"memtype", "swapped"}, pid_label});
    AddSample(memory, static_cast<double>(s->virtual_bytes),
              {group, {"memtype", "virtual"}, pid_label});
    AddSample(affinity, s->cpu_count, {group, pid_label});
    AddSample(affinity_info, 1, {{"cpus", s->cpus}, group, pid_label});
  }
}

}  // namespace vitals::collectors
