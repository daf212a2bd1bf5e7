// meminfo_numa: node_memory_numa_* per NUMA node from
// /sys/devices/system/node/node<N>/{meminfo,numastat}, node_exporter 1.5's meminfo_numa
// collector (off by default there and here).
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_cache.h"

namespace vitals::collectors {

class MeminfoNumaCollector : public Collector {
 public:
  explicit MeminfoNumaCollector(const Paths& paths);
  // A kernel without NUMA nodes in sysfs publishes nothing and succeeds. As in
  // node_exporter, a node directory without a readable meminfo or numastat, or a line
  // either cannot parse, fails the collector and publishes nothing.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string sysfs_;
  procfs::FileCache files_;
};

}  // namespace vitals::collectors
