// cpu: node_cpu_seconds_total{cpu,mode} and node_cpu_guest_seconds_total from /proc/stat;
// with the info option node_cpu_info, node_cpu_flag_info and node_cpu_bug_info from
// /proc/cpuinfo.
#pragma once

#include <vector>

#include "collectors/collector.h"
#include "collectors/regex.h"
#include "procfs/file_reader.h"
#include "procfs/proc_stat.h"

namespace vitals::collectors {

struct CpuOptions {
  bool guest = true;  // node_cpu_guest_seconds_total (--[no-]collector.cpu.guest).
  bool info = false;  // node_cpu_info (--collector.cpu.info).
  // node_cpu_flag_info / node_cpu_bug_info for the first CPU's flags and bugs that match
  // (--collector.cpu.info.flags-include / bugs-include); empty: none. Setting one turns
  // `info` on, as in node_exporter.
  Regex flags_include, bugs_include;

  bool operator==(const CpuOptions&) const = default;
};

class CpuCollector : public Collector {
 public:
  explicit CpuCollector(const Paths& paths, const CpuOptions& options = {});
  // With the info option, a /proc/cpuinfo that is missing or does not parse fails the
  // collector before anything is published, node_cpu_seconds_total included, as
  // node_exporter 1.5's cpu collector does.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  // Keeps counters monotonic across kernel glitches, as node_exporter does.
  void UpdateStats(const std::vector<procfs::CpuTimes>& fresh);
  Status CollectInfo(Families& out);

  CpuOptions options_;
  procfs::FileReader stat_file_;
  procfs::FileReader cpuinfo_file_;
  std::vector<procfs::CpuTimes> stats_;
};

}  // namespace vitals::collectors
