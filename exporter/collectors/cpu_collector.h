// cpu: node_cpu_seconds_total{cpu,mode} and node_cpu_guest_seconds_total from /proc/stat.
#pragma once

#include <vector>

#include "collectors/collector.h"
#include "procfs/file_reader.h"
#include "procfs/proc_stat.h"

namespace vitals::collectors {

class CpuCollector : public Collector {
 public:
  explicit CpuCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  // Keeps counters monotonic across kernel glitches, as node_exporter does.
  void UpdateStats(const std::vector<procfs::CpuTimes>& fresh);

  procfs::FileReader stat_file_;
  std::vector<procfs::CpuTimes> stats_;
};

}  // namespace vitals::collectors
