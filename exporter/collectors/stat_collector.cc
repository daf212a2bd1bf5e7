#include "collectors/stat_collector.h"

#include <optional>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/proc_stat.h"

namespace vitals::collectors {
namespace {

void AddIfPresent(Families& out, const char* name, const char* help, prometheus::MetricType type,
                  const std::optional<uint64_t>& value) {
  if (value) AddSingle(out, name, help, type, static_cast<double>(*value));
}

}  // namespace

StatCollector::StatCollector(const Paths& paths)
    : stat_file_(procfs::JoinPath(paths.procfs, "stat"), procfs::ReadMode::kOneRecord) {}

Status StatCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = stat_file_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  const auto stat = procfs::ParseProcStat(*text);
  if (!stat.ok()) return Status::Fail(stat_file_.path() + ": " + stat.error());

  AddIfPresent(out, "node_intr_total", "Total number of interrupts serviced.", kCounter,
               stat->interrupts);
  AddIfPresent(out, "node_context_switches_total", "Total number of context switches.", kCounter,
               stat->context_switches);
  AddIfPresent(out, "node_forks_total", "Total number of forks.", kCounter, stat->forks);
  AddIfPresent(out, "node_boot_time_seconds", "Node boot time, in unixtime.", kGauge,
               stat->boot_time);
  AddIfPresent(out, "node_procs_running", "Number of processes in runnable state.", kGauge,
               stat->procs_running);
  AddIfPresent(out, "node_procs_blocked",
               "Number of processes blocked waiting for I/O to complete.", kGauge,
               stat->procs_blocked);
  return Status::Ok();
}

extern const CollectorSpec stat_spec = {
    .name = "stat",
    .enabled_by_default = true,
    .description = "Boot time, context switches, forks, interrupts (/proc/stat)",
    .make = MakeWithPaths<StatCollector>,
};

}  // namespace vitals::collectors
