// tapestats: node_tape_* per SCSI tape drive from /sys/class/scsi_tape/st<N>/stats,
// node_exporter 1.5's tapestats collector.
#pragma once

#include <string>

#include "collectors/collector.h"
#include "collectors/device_filter.h"
#include "procfs/file_cache.h"

namespace vitals::collectors {

struct TapestatsOptions {
  DeviceFilter devices;  // --collector.tapestats.ignored-devices (exclude only).

  bool operator==(const TapestatsOptions&) const = default;
};

class TapestatsCollector : public Collector {
 public:
  TapestatsCollector(const Paths& paths, const TapestatsOptions& options);
  // Without tape drives (no class/scsi_tape while --path.sysfs exists) nothing is
  // published and the collector succeeds (node_exporter: "no data", unsuccessful). A
  // counter file that is missing or not a number skips that sample (node_exporter
  // publishes 0 for a missing one and exits on a malformed one).
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string sysfs_;
  std::string class_tape_;
  TapestatsOptions options_;
  procfs::FileCache files_;
};

}  // namespace vitals::collectors
