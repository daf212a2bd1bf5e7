// loadavg: node_load1, node_load5, node_load15 from /proc/loadavg.
#pragma once

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class LoadavgCollector : public Collector {
 public:
  explicit LoadavgCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  procfs::FileReader loadavg_file_;
};

}  // namespace vitals::collectors
