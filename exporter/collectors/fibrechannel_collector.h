// fibrechannel: node_fibrechannel_info and node_fibrechannel_*_total per Fibre Channel
// host in /sys/class/fc_host, node_exporter 1.5's fibrechannel collector
// (prometheus/procfs 0.8.0's sysfs/class_fibrechannel.go).
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_cache.h"

namespace vitals::collectors {

class FibrechannelCollector : public Collector {
 public:
  explicit FibrechannelCollector(const Paths& paths);
  // Without Fibre Channel (no class/fc_host while --path.sysfs exists) nothing is
  // published and the collector succeeds (node_exporter: "no data", unsuccessful). An
  // attribute that cannot be read is an empty label, a statistics file that is
  // missing, unreadable or not a number skips that sample (node_exporter fails the
  // collector, publishes 0 for a missing counter and exits on a malformed one).
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string sysfs_;
  std::string class_fc_;
  procfs::FileCache files_;
};

}  // namespace vitals::collectors
