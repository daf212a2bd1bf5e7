// cgroups: node_cgroups_cgroups{subsys_name} and node_cgroups_enabled{subsys_name}
// from /proc/cgroups, node_exporter 1.5's cgroups collector (off by default).
#pragma once

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class CgroupsCollector : public Collector {
 public:
  explicit CgroupsCollector(const Paths& paths);
  // A missing, unreadable or malformed /proc/cgroups fails the collector and publishes
  // nothing, as node_exporter does.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  procfs::FileReader cgroups_file_;
};

}  // namespace vitals::collectors
