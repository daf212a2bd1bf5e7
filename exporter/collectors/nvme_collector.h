// nvme: node_nvme_info{device,firmware_revision,model,serial,state} per controller
// in /sys/class/nvme, node_exporter 1.5's nvme collector.
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_cache.h"

namespace vitals::collectors {

class NvmeCollector : public Collector {
 public:
  explicit NvmeCollector(const Paths& paths);
  // Without NVMe (no class/nvme while --path.sysfs exists) nothing is published and
  // the collector succeeds (node_exporter: "no data", unsuccessful). An attribute
  // that cannot be read is an empty label (node_exporter fails the whole collector).
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string sysfs_;
  std::string class_nvme_;
  procfs::FileCache files_;
};

}  // namespace vitals::collectors
