#include "collectors/schedstat_collector.h"

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/schedstat.h"

namespace vitals::collectors {

SchedstatCollector::SchedstatCollector(const Paths& paths)
    : procfs_(paths.procfs), file_(procfs::JoinPath(paths.procfs, "schedstat")) {}

Status SchedstatCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = file_.Read();
  if (!text.ok()) {
    // A kernel without CONFIG_SCHED_INFO has no /proc/schedstat: nothing to publish
    // (node_exporter returns ErrNoData). A missing --path.procfs is still a failure.
    if (text.failure().Vanished() && procfs::IsDirectory(procfs_)) return Status::Ok();
    return Status::Fail(text.error());
  }
  const auto cpus = procfs::ParseSchedstat(*text);
  auto& running = AddFamily(out, "node_schedstat_running_seconds_total",
                            "Number of seconds CPU spent running a process.", kCounter);
  auto& waiting =
      AddFamily(out, "node_schedstat_waiting_seconds_total",
                "Number of seconds spent by processing waiting for this CPU.", kCounter);
  auto& timeslices = AddFamily(out, "node_schedstat_timeslices_total",
                               "Number of timeslices executed by CPU.", kCounter);
  // node_exporter: float64(ns) / 1e9, one division.
  constexpr double kNsPerSecond = 1e9;
  for (const auto& cpu : cpus) {
    AddSample(running, static_cast<double>(cpu.running_ns) / kNsPerSecond, {{"cpu", cpu.cpu}});
    AddSample(waiting, static_cast<double>(cpu.waiting_ns) / kNsPerSecond, {{"cpu", cpu.cpu}});
    AddSample(timeslices, static_cast<double>(cpu.timeslices), {{"cpu", cpu.cpu}});
  }
  return Status::Ok();
}

extern const CollectorSpec schedstat_spec = {
    .name = "schedstat",
    .enabled_by_default = true,
    .description = "Scheduler statistics per CPU (/proc/schedstat)",
    .make = MakeWithPaths<SchedstatCollector>,
};

}  // namespace vitals::collectors
