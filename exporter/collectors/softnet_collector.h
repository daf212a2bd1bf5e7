// softnet: node_softnet_{processed,dropped,times_squeezed}_total{cpu} from
// /proc/net/softnet_stat, the three counters node_exporter 1.5 publishes.
#pragma once

#include <string>
#include <vector>

#include "collectors/collector.h"
#include "procfs/file_reader.h"
#include "procfs/net_softnet.h"

namespace vitals::collectors {

class SoftnetCollector : public Collector {
 public:
  explicit SoftnetCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  procfs::FileReader softnet_file_;
  std::vector<procfs::SoftnetStat> stats_;
  std::vector<std::string> cpu_labels_;  // "0", "1", ...: kept between scrapes.
};

}  // namespace vitals::collectors
