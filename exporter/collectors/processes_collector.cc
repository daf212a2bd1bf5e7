#include "collectors/processes_collector.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <pwd.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>

#include "base/text.h"
#include "collectors/metric_builder.h"
#include "procfs/file_reader.h"
#include "procfs/pid_io.h"
#include "procfs/pid_status.h"
#include "procfs/proc_stat.h"

namespace vitals::collectors {
namespace {

constexpr int kUnmatched = -1;
constexpr int kDropped = -2;
constexpr int kKeep = -3;  // Tracked::pending: not re-decided this scrape.
constexpr int kMaxAncestry = 256;

using Counters = ProcessesCollector::Counters;

Counters Minus(const Counters& a, const Counters& b) {
  return {a.utime - b.utime,
          a.stime - b.stime,
          a.read_bytes - b.read_bytes,
          a.write_bytes - b.write_bytes,
          a.major_faults - b.major_faults,
          a.minor_faults - b.minor_faults,
          a.voluntary - b.voluntary,
          a.nonvoluntary - b.nonvoluntary};
}

bool Vanished(int err) { return err == ENOENT || err == ESRCH; }
bool Denied(int err) { return err == EACCES || err == EPERM; }

// Reads "<pid>/<name>" relative to the /proc directory fd; `err` gets errno on failure.
bool ReadPidFile(int proc_fd, int64_t pid, const char* name, std::string& buffer,
                 std::string_view& out, int& err) {
  std::array<char, 48> path{};
  std::snprintf(path.data(), path.size(), "%lld/%s", static_cast<long long>(pid), name);
  auto content =
      procfs::ReadFileAt(proc_fd, path.data(), buffer, &err, procfs::ReadMode::kOneRecord);
  if (!content.ok()) return false;
  out = *content;
  return true;
}

std::vector<std::string> SplitCmdline(std::string_view text) {
  std::vector<std::string> argv;
  while (!text.empty()) {
    const size_t nul = text.find('\0');
    argv.emplace_back(text.substr(0, nul));
    if (nul == std::string_view::npos) break;
    text.remove_prefix(nul + 1);
  }
  while (!argv.empty() && argv.back().empty()) argv.pop_back();
  return argv;
}

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

bool UsesUsername(const std::vector<ProcessGroupSpec>& specs) {
  return std::any_of(specs.begin(), specs.end(), [](const ProcessGroupSpec& spec) {
    return spec.name.text().find(".Username") != std::string::npos;
  });
}

}  // namespace

Counters& Counters::operator+=(const Counters& other) {
  utime += other.utime;
  stime += other.stime;
  read_bytes += other.read_bytes;
  write_bytes += other.write_bytes;
  major_faults += other.major_faults;
  minor_faults += other.minor_faults;
  voluntary += other.voluntary;
  nonvoluntary += other.nonvoluntary;
  return *this;
}

struct ProcessesCollector::Tracked {
  uint64_t start_time = 0;
  int64_t ppid = 0;
  int group = kUnmatched;
  int pending = kKeep;  // Group decided this scrape, applied after children folding.
  bool seen = false;
  bool unreadable = false;  // Alive, but its files could not be read this scrape.
  bool is_new = true;
  Counters last;  // Latest counters of the process.
  Counters base;  // Counters when it joined its current group (0 unless it moved).
  std::optional<uint64_t> max_open_files;
  procfs::PidStat stat;  // This scrape's stat; comm is not kept (it points into a buffer).
};

struct ProcessesCollector::Group {
  std::string name;
  size_t spec_index = 0;
  Counters exited;  // What members that exited (or moved away) had accumulated.
};

struct ProcessesCollector::Sample {
  int64_t pid = 0;
  int group = 0;
  Counters counters;  // Since joining the group.
  uint64_t resident = 0, virtual_bytes = 0, swapped = 0, shared = 0;
  uint64_t open_fds = 0;
  double fd_ratio = 0;
  int64_t threads = 0;
  char state = '?';
  uint64_t start_time = 0;
  std::string cpus;
  int cpu_count = 0;
};

ProcessesCollector::ProcessesCollector(const Paths& paths, const ProcessesOptions& options)
    : paths_(paths), options_(options), self_pid_(getpid()), page_size_(sysconf(_SC_PAGESIZE)) {
  proc_fd_ = open(paths.procfs.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct statfs fs {};
  real_procfs_ = proc_fd_ >= 0 && fstatfs(proc_fd_, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
  // Groups with a fixed name exist before any process is seen: they report num_procs 0.
  for (size_t i = 0; i < options_.groups.size(); ++i) {
    const auto& spec = options_.groups[i];
    if (spec.name.IsStatic() && !group_index_.contains(spec.name.text())) {
      group_index_[spec.name.text()] = static_cast<int>(groups_.size());
      groups_.push_back({spec.name.text(), i, {}});
    }
  }
  if (auto text = procfs::ReadSmallFile(procfs::JoinPath(paths.procfs, "stat")); text.ok()) {
    if (auto stat = procfs::ParseProcStat(*text); stat.ok() && stat->boot_time) {
      boot_time_ = static_cast<double>(*stat->boot_time);
    }
  }
}

ProcessesCollector::~ProcessesCollector() {
  if (proc_fd_ >= 0) close(proc_fd_);
}

std::string ProcessesCollector::Username(uint32_t uid) {
  auto [it, inserted] = usernames_.try_emplace(uid);
  if (inserted) {
    struct passwd entry {};
    struct passwd* found = nullptr;
    std::array<char, 4096> scratch{};
    if (getpwuid_r(uid, &entry, scratch.data(), scratch.size(), &found) == 0 && found != nullptr) {
      it->second = found->pw_name;
    } else {
      it->second = std::to_string(uid);
    }
  }
  return it->second;
}

int ProcessesCollector::GroupFor(const GroupMatch& match) {
  if (auto it = group_index_.find(match.name); it != group_index_.end()) return it->second;
  if (static_cast<int>(groups_.size()) >= options_.max_groups) {
    if (!warned_dropped_) {
      spdlog::warn(
          "processes: max_groups ({}) reached; further processes are not grouped "
          "(counted in vitals_process_groups_dropped_total)",
          options_.max_groups);
      warned_dropped_ = true;
    }
    return kDropped;
  }
  group_index_[match.name] = static_cast<int>(groups_.size());
  groups_.push_back({match.name, match.spec_index, {}});
  return static_cast<int>(groups_.size()) - 1;
}

void ProcessesCollector::Classify(int64_t pid, Tracked& tracked, const std::string& comm) {
  std::string_view text;
  int err = 0;
  std::vector<std::string> argv;
  if (ReadPidFile(proc_fd_, pid, "cmdline", buffer_, text, err)) argv = SplitCmdline(text);
  std::string username;
  if (UsesUsername(options_.groups) && ReadPidFile(proc_fd_, pid, "status", buffer_, text, err)) {
    if (auto status = procfs::ParsePidStatus(text); status.ok()) {
      username = Username(status->effective_uid);
    }
  }
  ProcessFacts facts{comm, &argv, username, pid, tracked.start_time};
  const auto match = MatchGroup(options_.groups, facts);
  tracked.pending = match ? GroupFor(*match) : kUnmatched;
  // Counted once per process (recheck re-matches the same process every scrape).
  if (match && tracked.pending == kDropped && tracked.group != kDropped) ++dropped_;
  if (tracked.pending == kUnmatched && options_.children) pending_fold_.push_back(pid);
}

// A known process whose files fail to read (not because it exited) stays tracked: were
// it forgotten, it would come back as a new process and its counts would add up twice.
void ProcessesCollector::KeepUnreadable(int64_t pid, uint64_t& error_counter) {
  ++error_counter;
  if (auto it = tracked_.find(pid); it != tracked_.end()) {
    it->second.seen = true;
    it->second.unreadable = true;
    it->second.pending = kKeep;
  }
}

void ProcessesCollector::Scan() {
  DIR* dir = fdopendir(dup(proc_fd_));
  if (dir == nullptr) return;
  rewinddir(dir);
  std::string_view text;
  while (const dirent* entry = readdir(dir)) {
    const auto pid = ParseU64(entry->d_name);
    if (!pid || static_cast<int64_t>(*pid) == self_pid_) continue;  // Never match ourselves.
    int err = 0;
    if (!ReadPidFile(proc_fd_, static_cast<int64_t>(*pid), "stat", buffer_, text, err)) {
      if (!Vanished(err)) KeepUnreadable(static_cast<int64_t>(*pid), other_errors_);
      continue;
    }
    auto stat = procfs::ParsePidStat(text);
    if (!stat.ok()) {
      KeepUnreadable(static_cast<int64_t>(*pid), parse_errors_);
      continue;
    }
    auto [it, inserted] = tracked_.try_emplace(static_cast<int64_t>(*pid));
    Tracked& tracked = it->second;
    if (!inserted && tracked.start_time != stat->start_time) {  // The pid was reused.
      Retire(tracked);
      tracked = Tracked{};
      inserted = true;
    }
    tracked.start_time = stat->start_time;
    tracked.ppid = stat->ppid;
    tracked.seen = true;
    tracked.unreadable = false;
    tracked.is_new = inserted;
    tracked.pending = kKeep;
    tracked.stat = *stat;
    tracked.stat.comm = {};  // Points into buffer_, which the next read overwrites.
    if (inserted || options_.recheck) {
      Classify(static_cast<int64_t>(*pid), tracked, std::string(stat->comm));
    }
  }
  closedir(dir);
}

void ProcessesCollector::FoldChildren() {
  auto effective = [](const Tracked& t) { return t.pending != kKeep ? t.pending : t.group; };
  for (const int64_t pid : pending_fold_) {
    Tracked& child = tracked_[pid];
    int64_t ancestor = child.ppid;
    for (int depth = 0; depth < kMaxAncestry && ancestor > 0; ++depth) {
      auto it = tracked_.find(ancestor);
      if (it == tracked_.end() || !it->second.seen) break;
      if (effective(it->second) >= 0) {
        child.pending = effective(it->second);
        break;
      }
      ancestor = it->second.ppid;
    }
  }
  pending_fold_.clear();
}

void ProcessesCollector::ReadMaxOpenFiles(int64_t pid, Tracked& tracked) {
  // prlimit(2) is one system call; /proc/PID/limits costs an open, sixteen formatted
  // lines and a close. It needs the same uid or CAP_SYS_RESOURCE, and a live /proc.
  struct rlimit limit {};
  if (real_procfs_ && prlimit(static_cast<pid_t>(pid), RLIMIT_NOFILE, nullptr, &limit) == 0) {
    tracked.max_open_files =
        limit.rlim_cur == RLIM_INFINITY ? std::nullopt : std::optional<uint64_t>(limit.rlim_cur);
    return;
  }
  std::string_view text;
  int err = 0;
  if (ReadPidFile(proc_fd_, pid, "limits", buffer_, text, err)) {
    if (auto parsed = procfs::ParseMaxOpenFiles(text); parsed.ok()) {
      tracked.max_open_files = *parsed;
    }
  }
}

void ProcessesCollector::SumThreadSwitches(int64_t pid, Counters& counters) {
  std::array<char, 32> task_dir{};
  std::snprintf(task_dir.data(), task_dir.size(), "%lld/task", static_cast<long long>(pid));
  const int task_fd = openat(proc_fd_, task_dir.data(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (task_fd < 0) return;  // Keep the main thread's counts.
  DIR* dir = fdopendir(task_fd);
  uint64_t voluntary = 0, nonvoluntary = 0;
  bool any = false;
  while (const dirent* entry = readdir(dir)) {
    std::string_view text;
    int err = 0;
    const auto tid = ParseU64(entry->d_name);
    if (!tid ||
        !ReadPidFile(dirfd(dir), static_cast<int64_t>(*tid), "status", buffer_, text, err)) {
      continue;  // "." and "..", or a thread that exited meanwhile.
    }
    if (auto status = procfs::ParsePidStatus(text); status.ok()) {
      voluntary += status->voluntary_ctxt_switches;
      nonvoluntary += status->nonvoluntary_ctxt_switches;
      any = true;
    }
  }
  closedir(dir);
  if (any) {
    counters.voluntary = voluntary;
    counters.nonvoluntary = nonvoluntary;
  }
}

void ProcessesCollector::Retire(const Tracked& tracked) {
  if (tracked.group >= 0) groups_[tracked.group].exited += Minus(tracked.last, tracked.base);
}

ProcessesCollector::Details ProcessesCollector::ReadDetails(int64_t pid, Tracked& tracked,
                                                            Sample& sample) {
  std::string_view text;
  int err = 0;
  if (!ReadPidFile(proc_fd_, pid, "status", buffer_, text, err)) {
    if (Vanished(err)) return Details::kGone;
    ++other_errors_;
    return Details::kUnreadable;
  }
  auto status = procfs::ParsePidStatus(text);
  if (!status.ok()) {
    ++parse_errors_;
    return Details::kUnreadable;
  }
  const procfs::PidStat& stat = tracked.stat;
  Counters now = tracked.last;
  now.utime = stat.utime;
  now.stime = stat.stime;
  now.minor_faults = stat.minor_faults;
  now.major_faults = stat.major_faults;
  now.voluntary = status->voluntary_ctxt_switches;
  now.nonvoluntary = status->nonvoluntary_ctxt_switches;
  // status counts the main thread only; process-exporter sums every thread.
  if (stat.num_threads > 1) SumThreadSwitches(pid, now);
  // A thread that exits takes its switches along: the sum must still never go back.
  now.voluntary = std::max(now.voluntary, tracked.last.voluntary);
  now.nonvoluntary = std::max(now.nonvoluntary, tracked.last.nonvoluntary);
  sample.resident = static_cast<uint64_t>(std::max<int64_t>(stat.rss_pages, 0)) * page_size_;
  sample.virtual_bytes = stat.vsize;
  sample.swapped = status->vm_swap;
  sample.shared = status->rss_file + status->rss_shmem;
  if (options_.groups[groups_[tracked.group].spec_index].per_pid) {
    sample.cpus = std::string(status->cpus_allowed_list);
    sample.cpu_count = procfs::CountCpuList(sample.cpus).value_or(0);
  }

  if (ReadPidFile(proc_fd_, pid, "io", buffer_, text, err)) {
    if (auto io = procfs::ParsePidIo(text); io.ok()) {
      now.read_bytes = io->read_bytes;
      now.write_bytes = io->write_bytes;
    } else {
      ++parse_errors_;
    }
  } else if (Vanished(err)) {
    return Details::kGone;
  } else {
    // Another user's process without CAP_SYS_PTRACE: count it, keep the rest of the row.
    ++(Denied(err) ? permission_errors_ : other_errors_);
  }

  std::array<char, 32> fd_dir{};
  std::snprintf(fd_dir.data(), fd_dir.size(), "%lld/fd", static_cast<long long>(pid));
  struct stat fd_stat {};
  if (real_procfs_ && fstatat(proc_fd_, fd_dir.data(), &fd_stat, 0) == 0 && fd_stat.st_size > 0) {
    sample.open_fds = static_cast<uint64_t>(fd_stat.st_size);  // Linux 6.2+: the fd count.
  } else if (const int fd = openat(proc_fd_, fd_dir.data(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
             fd >= 0) {
    DIR* dir = fdopendir(fd);
    while (const dirent* entry = readdir(dir)) sample.open_fds += entry->d_name[0] != '.';
    closedir(dir);
  } else if (Vanished(errno)) {
    return Details::kGone;
  } else {
    ++(Denied(errno) ? permission_errors_ : other_errors_);
  }

  // Every scrape: an admin raising a limit with prlimit(1) must see the ratio drop.
  ReadMaxOpenFiles(pid, tracked);
  if (tracked.max_open_files && *tracked.max_open_files > 0) {
    sample.fd_ratio =
        static_cast<double>(sample.open_fds) / static_cast<double>(*tracked.max_open_files);
  }

  tracked.last = now;
  sample.pid = pid;
  sample.group = tracked.group;
  sample.counters = Minus(now, tracked.base);
  sample.threads = stat.num_threads;
  sample.state = stat.state;
  sample.start_time = stat.start_time;
  return Details::kComplete;
}

Status ProcessesCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  if (proc_fd_ < 0) return Status::Fail("cannot open " + paths_.procfs);
  for (auto& [pid, tracked] : tracked_) tracked.seen = false;
  Scan();
  FoldChildren();
  for (auto& [pid, tracked] : tracked_) {
    if (!tracked.seen || tracked.pending == kKeep) continue;
    if (tracked.pending != tracked.group) {
      if (tracked.group >= 0) {  // Moved on recheck: its past stays with the old group.
        groups_[tracked.group].exited += Minus(tracked.last, tracked.base);
        tracked.base = tracked.last;
      } else if (!tracked.is_new) {
        tracked.base = tracked.last;
      }
      tracked.group = tracked.pending;
    }
  }
  samples_.clear();
  carried_.clear();
  for (auto& [pid, tracked] : tracked_) {
    if (!tracked.seen || tracked.group < 0) continue;
    Sample sample;
    const Details details =
        tracked.unreadable ? Details::kUnreadable : ReadDetails(pid, tracked, sample);
    if (details == Details::kGone) {
      tracked.seen = false;  // Exited mid-read: no partial row; it retires below.
      continue;
    }
    if (details == Details::kUnreadable) {
      // No row this scrape, but its counts stay in the group's counters.
      carried_.emplace_back(tracked.group, Minus(tracked.last, tracked.base));
      continue;
    }
    samples_.push_back(std::move(sample));
  }
  std::erase_if(tracked_, [this](auto& item) {
    if (item.second.seen) return false;
    Retire(item.second);
    return true;
  });
  Emit(out);
  EmitPerPid(out);
  return Status::Ok();
}

void ProcessesCollector::Emit(Families& out) {
  struct Totals {
    Counters counters;
    uint64_t procs = 0, resident = 0, virtual_bytes = 0, swapped = 0, shared = 0, fds = 0;
    double worst_fd_ratio = 0;
    int64_t threads = 0;
    std::array<uint64_t, kStates.size()> states{};
    uint64_t oldest = UINT64_MAX;
  };
  std::vector<Totals> totals(groups_.size());
  for (size_t i = 0; i < groups_.size(); ++i) totals[i].counters = groups_[i].exited;
  for (const auto& [group, counters] : carried_) totals[group].counters += counters;
  for (const Sample& s : samples_) {
    Totals& t = totals[s.group];
    t.counters += s.counters;
    ++t.procs;
    t.resident += s.resident;
    t.virtual_bytes += s.virtual_bytes;
    t.swapped += s.swapped;
    t.shared += s.shared;
    t.fds += s.open_fds;
    t.worst_fd_ratio = std::max(t.worst_fd_ratio, s.fd_ratio);
    t.threads += s.threads;
    const auto state = std::find(kStates.begin(), kStates.end(), StateName(s.state));
    ++t.states[state - kStates.begin()];
    t.oldest = std::min(t.oldest, s.start_time);
  }

  constexpr std::string_view kPrefix = "namedprocess_namegroup_";
  auto family = [&](std::string_view name, const char* help,
                    prometheus::MetricType type) -> prometheus::MetricFamily& {
    return AddFamily(out, std::string(kPrefix) + std::string(name), help, type);
  };
  auto& procs = family("num_procs", "number of processes in this group", kGauge);
  auto& cpu = family("cpu_seconds_total", "CPU time consumed by this group, in seconds", kCounter);
  auto& read = family("read_bytes_total", "number of bytes read by this group", kCounter);
  auto& written = family("write_bytes_total", "number of bytes written by this group", kCounter);
  auto& major = family("major_page_faults_total", "Major page faults", kCounter);
  auto& minor = family("minor_page_faults_total", "Minor page faults", kCounter);
  auto& switches = family("context_switches_total", "Context switches", kCounter);
  auto& memory = family("memory_bytes", "number of bytes of memory in use", kGauge);
  auto& fds = family("open_filedesc", "number of open file descriptors for this group", kGauge);
  auto& ratio = family("worst_fd_ratio",
                       "the worst (closest to 1) ratio between open fds and max fds among all "
                       "procs in this group",
                       kGauge);
  auto& oldest =
      family("oldest_start_time_seconds",
             "start time in seconds since 1970/01/01 of oldest process in group", kGauge);
  auto& threads = family("num_threads", "Number of threads", kGauge);
  auto& states = family("states",
                        "Number of processes in states Running, Sleeping, Waiting, Zombie, or "
                        "Other",
                        kGauge);
  for (size_t i = 0; i < groups_.size(); ++i) {
    const Totals& t = totals[i];
    const std::string& name = groups_[i].name;
    const Label group{"groupname", name};
    AddSample(procs, static_cast<double>(t.procs), {group});
    AddSample(cpu, static_cast<double>(t.counters.stime) / procfs::kUserHz,
              {group, {"mode", "system"}});
    AddSample(cpu, static_cast<double>(t.counters.utime) / procfs::kUserHz,
              {group, {"mode", "user"}});
    AddSample(read, static_cast<double>(t.counters.read_bytes), {group});
    AddSample(written, static_cast<double>(t.counters.write_bytes), {group});
    AddSample(major, static_cast<double>(t.counters.major_faults), {group});
    AddSample(minor, static_cast<double>(t.counters.minor_faults), {group});
    AddSample(switches, static_cast<double>(t.counters.nonvoluntary),
              {{"ctxswitchtype", "nonvoluntary"}, group});
    AddSample(switches, static_cast<double>(t.counters.voluntary),
              {{"ctxswitchtype", "voluntary"}, group});
    AddSample(memory, static_cast<double>(t.resident), {group, {"memtype", "resident"}});
    AddSample(memory, static_cast<double>(t.shared), {group, {"memtype", "shared"}});
    AddSample(memory, static_cast<double>(t.swapped), {group, {"memtype", "swapped"}});
    AddSample(memory, static_cast<double>(t.virtual_bytes), {group, {"memtype", "virtual"}});
    AddSample(fds, static_cast<double>(t.fds), {group});
    AddSample(ratio, t.worst_fd_ratio, {group});
    if (t.procs > 0) {
      // Whole seconds, like process-exporter (Go's time.Time.Unix() truncates).
      AddSample(oldest, std::floor(boot_time_ + static_cast<double>(t.oldest) / procfs::kUserHz),
                {group});
    }
    AddSample(threads, static_cast<double>(t.threads), {group});
    for (size_t k = 0; k < kStates.size(); ++k) {
      AddSample(states, static_cast<double>(t.states[k]), {group, {"state", kStates[k]}});
    }
  }
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

void ProcessesCollector::EmitPerPid(Families& out) {
  std::vector<const Sample*> chosen;
  for (size_t g = 0; g < groups_.size(); ++g) {
    const ProcessGroupSpec& spec = options_.groups[groups_[g].spec_index];
    if (!spec.per_pid) continue;
    std::vector<const Sample*> members;
    for (const Sample& s : samples_) {
      if (s.group == static_cast<int>(g)) members.push_back(&s);
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
