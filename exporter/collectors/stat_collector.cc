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

void AddSoftIrqs(Families& out, const procfs::SoftIrqs& softirqs) {
  auto& family = AddFamily(out, "node_softirqs_total", "Number of softirq calls.", kCounter);
  for (size_t i = 0; i < softirqs.size(); ++i) {
    AddSample(family, static_cast<double>(softirqs[i]), {{"vector", procfs::kSoftIrqVectors[i]}});
  }
}

}  // namespace

StatCollector::StatCollector(const Paths& paths, StatOptions options)
    : stat_file_(procfs::JoinPath(paths.procfs, "stat"), procfs::ReadMode::kOneRecord),
      options_(options) {}

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
  if (options_.softirq && stat->softirqs) AddSoftIrqs(out, *stat->softirqs);
  return Status::Ok();
}

}  // namespace vitals::collectors
