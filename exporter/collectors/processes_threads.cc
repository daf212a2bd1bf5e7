#include "collectors/processes_threads.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>

#include "base/utf8.h"
#include "collectors/metric_builder.h"
#include "procfs/pid_io.h"
#include "procfs/pid_stat.h"
#include "procfs/pid_status.h"
#include "procfs/proc_stat.h"

namespace vitals::collectors {

ProcessCounters& ProcessCounters::operator+=(const ProcessCounters& other) {
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

ProcessCounters ProcessCounters::operator-(const ProcessCounters& other) const {
  return {utime - other.utime,
          stime - other.stime,
          read_bytes - other.read_bytes,
          write_bytes - other.write_bytes,
          major_faults - other.major_faults,
          minor_faults - other.minor_faults,
          voluntary - other.voluntary,
          nonvoluntary - other.nonvoluntary};
}

namespace {

// "task/TID/NAME", relative to the process's directory.
std::array<char, 64> TaskFile(int64_t tid, const char* name) {
  std::array<char, 64> path{};
  std::snprintf(path.data(), path.size(), "task/%lld/%s", static_cast<long long>(tid), name);
  return path;
}

// Not an error when the thread (or process) exited meanwhile.
void NotePartial(const Error& error, bool& partial) {
  if (!error.Vanished()) partial = true;
}

}  // namespace

void ProcessThreads::Read(const procfs::Pid& process, std::string& buffer,
                          ThreadNameCounters& exited, bool& partial) {
  auto tids = process.TaskIds();
  if (!tids.ok()) {
    NotePartial(tids.failure(), partial);
    return;  // Threads keep their last counts until the list can be read again.
  }
  for (auto& [tid, thread] : threads_) thread.seen = false;
  for (const int64_t tid : *tids) {
    auto stat = process.TaskStat(tid, buffer);
    if (!stat.ok()) {
      NotePartial(stat.failure(), partial);
      if (auto it = threads_.find(tid); it != threads_.end() && !stat.failure().Vanished()) {
        it->second.seen = true;  // Alive but unreadable: keep it.
      }
      continue;
    }
    Thread& thread = Observe(tid, stat->start_time, stat->comm, exited);
    ProcessCounters now = thread.last;
    now.utime = stat->utime;
    now.stime = stat->stime;
    now.minor_faults = stat->minor_faults;
    now.major_faults = stat->major_faults;
    const auto status_path = TaskFile(tid, "status");
    if (auto text = process.ReadFile(status_path.data(), buffer); !text.ok()) {
      NotePartial(text.failure(), partial);
    } else if (auto status = procfs::ParsePidStatus(*text); !status.ok()) {
      partial = true;
    } else {
      now.voluntary = status->voluntary_ctxt_switches;
      now.nonvoluntary = status->nonvoluntary_ctxt_switches;
    }
    // Another user's thread without CAP_SYS_PTRACE: io stays as last read (0 at first),
    // as process-exporter keeps the thread with zero io.
    const auto io_path = TaskFile(tid, "io");
    if (auto text = process.ReadFile(io_path.data(), buffer); !text.ok()) {
      NotePartial(text.failure(), partial);
    } else if (auto io = procfs::ParsePidIo(*text); !io.ok()) {
      partial = true;
    } else {
      now.read_bytes = io->read_bytes;
      now.write_bytes = io->write_bytes;
    }
    thread.last = now;
  }
  RetireUnseen(exited);
}

void ProcessThreads::Update(std::span<const procfs::BpfThread> threads,
                            ThreadNameCounters& exited) {
  for (auto& [tid, thread] : threads_) thread.seen = false;
  for (const procfs::BpfThread& t : threads) {
    Thread& thread = Observe(t.tid, t.start_time,
                             std::string_view(t.comm, strnlen(t.comm, sizeof(t.comm))), exited);
    thread.last = {t.utime,        t.stime,        t.read_bytes, t.write_bytes,
                   t.major_faults, t.minor_faults, t.voluntary,  t.nonvoluntary};
  }
  RetireUnseen(exited);
}

ProcessThreads::Thread& ProcessThreads::Observe(int64_t tid, uint64_t start_time,
                                                std::string_view name, ThreadNameCounters& exited) {
  auto [it, inserted] = threads_.try_emplace(tid);
  Thread& thread = it->second;
  if (!inserted && thread.start_time != start_time) {  // The tid was reused.
    exited[thread.name] += thread.counters();
    thread = Thread{};
  }
  // Every thread, every scrape: a name equal to the kept one is valid and unchanged, and
  // needs no sanitized copy.
  if (thread.name != name) {
    std::string sanitized = SanitizeUtf8(name);
    // A thread may rename itself (prctl(PR_SET_NAME)): its past stays with the old name.
    if (!thread.name.empty() && thread.name != sanitized) {
      exited[thread.name] += thread.counters();
      thread.base = thread.last;
    }
    thread.name = std::move(sanitized);
  }
  thread.start_time = start_time;
  thread.seen = true;
  return thread;
}

void ProcessThreads::RetireUnseen(ThreadNameCounters& exited) {
  std::erase_if(threads_, [&](auto& item) {
    if (item.second.seen) return false;
    exited[item.second.name] += item.second.counters();
    return true;
  });
}

void ProcessThreads::RetireAll(ThreadNameCounters& exited) {
  for (const auto& [tid, thread] : threads_) exited[thread.name] += thread.counters();
  threads_.clear();
}

std::pair<uint64_t, uint64_t> ProcessThreads::SumSwitches() const {
  std::pair<uint64_t, uint64_t> sum{0, 0};
  for (const auto& [tid, thread] : threads_) {
    sum.first += thread.last.voluntary;  // Whole threads: a rename changes no sum.
    sum.second += thread.last.nonvoluntary;
  }
  return sum;
}

void ProcessThreads::AddTo(std::map<std::string, ThreadNameTotals>& totals) const {
  for (const auto& [tid, thread] : threads_) {
    ThreadNameTotals& named = totals[thread.name];
    ++named.count;
    named.counters += thread.counters();
  }
}

void PruneExitedThreadNames(ThreadNameCounters& exited,
                            const std::map<std::string, ThreadNameTotals>& live) {
  if (exited.size() <= kMaxExitedThreadNames) return;
  std::erase_if(exited, [&](const auto& item) { return !live.contains(item.first); });
}

void AddThreadFamilies(
    Families& out,
    const std::vector<std::pair<std::string_view, std::map<std::string, ThreadNameTotals>>>&
        groups) {
  // No family without a sample (as process-exporter's Go client publishes none).
  const bool any = std::any_of(groups.begin(), groups.end(), [](const auto& group) {
    return std::any_of(group.second.begin(), group.second.end(),
                       [](const auto& named) { return named.second.count > 0; });
  });
  if (!any) return;
  constexpr std::string_view kPrefix = "namedprocess_namegroup_thread_";
  auto family = [&](std::string_view name, const char* help, prometheus::MetricType type) {
    return &AddFamily(out, std::string(kPrefix) + std::string(name), help, type);
  };
  // process-exporter 0.7.10's HELP texts.
  auto* count = family("count", "Number of threads in this group with same threadname", kGauge);
  auto* cpu = family("cpu_seconds_total", "Cpu user/system usage in seconds", kCounter);
  auto* io = family("io_bytes_total", "number of bytes read/written by these threads", kCounter);
  auto* major = family("major_page_faults_total", "Major page faults for these threads", kCounter);
  auto* minor = family("minor_page_faults_total", "Minor page faults for these threads", kCounter);
  auto* switches = family("context_switches_total", "Context switches for these threads", kCounter);
  for (const auto& [group_name, names] : groups) {
    const Label group{"groupname", group_name};
    for (const auto& [name, totals] : names) {
      if (totals.count == 0) continue;
      const Label thread{"threadname", name};
      const ProcessCounters& c = totals.counters;
      AddSample(*count, static_cast<double>(totals.count), {group, thread});
      AddSample(*cpu, static_cast<double>(c.stime) / procfs::kUserHz,
                {group, {"mode", "system"}, thread});
      AddSample(*cpu, static_cast<double>(c.utime) / procfs::kUserHz,
                {group, {"mode", "user"}, thread});
      AddSample(*io, static_cast<double>(c.read_bytes), {group, {"iomode", "read"}, thread});
      AddSample(*io, static_cast<double>(c.write_bytes), {group, {"iomode", "write"}, thread});
      AddSample(*major, static_cast<double>(c.major_faults), {group, thread});
      AddSample(*minor, static_cast<double>(c.minor_faults), {group, thread});
      AddSample(*switches, static_cast<double>(c.nonvoluntary),
                {{"ctxswitchtype", "nonvoluntary"}, group, thread});
      AddSample(*switches, static_cast<double>(c.voluntary),
                {{"ctxswitchtype", "voluntary"}, group, thread});
    }
  }
}

}  // namespace vitals::collectors
