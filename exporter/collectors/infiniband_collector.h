// infiniband: node_infiniband_* per InfiniBand device and port in /sys/class/infiniband,
// node_exporter 1.5's infiniband collector (prometheus/procfs 0.8.0's
// sysfs/class_infiniband.go).
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_cache.h"

namespace vitals::collectors {

class InfinibandCollector : public Collector {
 public:
  explicit InfinibandCollector(const Paths& paths);
  // Without InfiniBand (no class/infiniband while --path.sysfs exists) nothing is
  // published and the collector succeeds (node_exporter: "no data", unsuccessful). A
  // file that is missing, unreadable or malformed skips that value: an empty info
  // label, no sample for that state, rate or counter, no samples for a port name that
  // is no number (node_exporter fails the collector on each but a missing info file or
  // counter and a counter reading "N/A (no PMA)").
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string sysfs_;
  std::string class_ib_;
  procfs::FileCache files_;
};

}  // namespace vitals::collectors
