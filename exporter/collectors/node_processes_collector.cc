#include "collectors/node_processes_collector.h"

#include <optional>
#include <string>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/sysctl.h"

namespace vitals::collectors {
namespace {

// Like node_exporter: a process or thread that exited between the listing and the
// read (ENOENT, ESRCH) is skipped; any other failure fails the collector.
bool Skippable(const Error& error) { return error.Vanished(); }

Result<uint64_t> ReadLimit(procfs::FileReader& file) {
  const auto text = file.Read();
  if (!text.ok()) return text.failure();
  auto value = procfs::ParseSysctlUint(*text);
  if (!value.ok()) return Error{file.path() + ": " + value.error()};
  return value;
}

void AddStates(Families& out, const char* name, const char* help, const char* label,
               const std::map<char, uint64_t>& states) {
  auto& family = AddFamily(out, name, help, kGauge);
  for (const auto& [state, count] : states) {
    const std::string letter(1, state);
    AddSample(family, static_cast<double>(count), {{label, letter}});
  }
}

}  // namespace

NodeProcessesCollector::NodeProcessesCollector(const Paths& paths)
    : fs_(paths.procfs),
      threads_max_(procfs::JoinPath(paths.procfs, "sys/kernel/threads-max"),
                   procfs::ReadMode::kOneRecord),
      pid_max_(procfs::JoinPath(paths.procfs, "sys/kernel/pid_max"), procfs::ReadMode::kOneRecord) {
}

Status NodeProcessesCollector::CountThreads(const procfs::Pid& pid, char state,
                                            ProcessCounts& counts) {
  const auto tids = pid.TaskIds();
  if (!tids.ok()) {
    if (Skippable(tids.failure())) return Status::Ok();
    return Status::Fail("pid " + std::to_string(pid.id()) + ": " + tids.error());
  }
  for (const int64_t tid : *tids) {
    if (tid == pid.id()) {  // The main thread: the process's own state, as node_exporter.
      ++counts.thread_states[state];
      continue;
    }
    const auto stat = pid.TaskStat(tid, buffer_);
    if (!stat.ok()) {
      if (Skippable(stat.failure())) continue;
      return Status::Fail("pid " + std::to_string(pid.id()) + " thread " + std::to_string(tid) +
                          ": " + stat.error());
    }
    ++counts.thread_states[stat->state];
  }
  return Status::Ok();
}

Status NodeProcessesCollector::Walk(const ScrapeContext& context, ProcessCounts& counts) {
  Status failure = Status::Ok();
  Status listed = fs_.ForEachPid([&](int64_t id) {
    if (context.Expired()) {
      failure = Status::Fail("scrape deadline reached while reading /proc");
      return false;
    }
    const procfs::Pid pid(fs_, id);
    const auto stat = pid.Stat(buffer_);
    if (!stat.ok()) {
      if (Skippable(stat.failure())) return true;
      failure = Status::Fail("pid " + std::to_string(id) + ": " + stat.error());
      return false;
    }
    ++counts.pids;
    ++counts.states[stat->state];
    counts.threads += static_cast<uint64_t>(stat->num_threads);
    const char state = stat->state;  // buffer_ is reused by the thread reads.
    failure = CountThreads(pid, state, counts);
    return failure.ok();
  });
  return listed.ok() ? failure : listed;
}

Status NodeProcessesCollector::Collect(const ScrapeContext& context, Families& out) {
  ProcessCounts counts;
  if (Status walked = Walk(context, counts); !walked.ok()) return walked;
  const auto threads_max = ReadLimit(threads_max_);
  if (!threads_max.ok()) return Status::Fail(threads_max.error());
  const auto pid_max = ReadLimit(pid_max_);
  if (!pid_max.ok()) return Status::Fail(pid_max.error());

  AddSingle(out, "node_processes_threads", "Allocated threads in system", kGauge,
            static_cast<double>(counts.threads));
  AddSingle(out, "node_processes_max_threads", "Limit of threads in the system", kGauge,
            static_cast<double>(*threads_max));
  AddStates(out, "node_processes_state", "Number of processes in each state.", "state",
            counts.states);
  AddStates(out, "node_processes_threads_state", "Number of threads in each state.", "thread_state",
            counts.thread_states);
  AddSingle(out, "node_processes_pids", "Number of PIDs", kGauge, static_cast<double>(counts.pids));
  AddSingle(out, "node_processes_max_processes", "Number of max PIDs limit", kGauge,
            static_cast<double>(*pid_max));
  return Status::Ok();
}

extern const CollectorSpec processes_spec = {
    .name = "processes",
    .enabled_by_default = false,
    .description =
        "PIDs and threads in use, their limits and states (node_exporter's "
        "processes; /proc/PID/stat)",
    .make = MakeWithPaths<NodeProcessesCollector>,
};

}  // namespace vitals::collectors
