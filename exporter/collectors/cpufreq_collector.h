// cpufreq: node_cpu_frequency_{,min_,max_}hertz and node_cpu_scaling_frequency_
// {,min_,max_}hertz per CPU from /sys/devices/system/cpu/cpu<N>/cpufreq/ (node_exporter
// 1.5 publishes no governor family; neither do we).
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_cache.h"

namespace vitals::collectors {

class CpufreqCollector : public Collector {
 public:
  explicit CpufreqCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string sysfs_;
  std::string cpu_dir_;
  procfs::FileCache files_;
};

}  // namespace vitals::collectors
