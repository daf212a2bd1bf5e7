// rapl: node_rapl_<zone>_joules_total per RAPL zone from /sys/class/powercap (or
// node_rapl_joules_total with a rapl_zone label, --collector.rapl.enable-zone-label).
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_cache.h"

namespace vitals::collectors {

struct RaplOptions {
  bool zone_label = false;  // --collector.rapl.enable-zone-label

  bool operator==(const RaplOptions&) const = default;
};

class RaplCollector : public Collector {
 public:
  RaplCollector(const Paths& paths, const RaplOptions& options);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string sysfs_;
  std::string powercap_dir_;
  RaplOptions options_;
  procfs::FileCache files_;
};

}  // namespace vitals::collectors
