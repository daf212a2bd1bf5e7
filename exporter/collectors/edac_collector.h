// edac: node_edac_{correctable,uncorrectable}_errors_total{controller} and
// node_edac_csrow_{correctable,uncorrectable}_errors_total{controller,csrow} from
// /sys/devices/system/edac/mc, node_exporter 1.5's edac collector.
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_cache.h"

namespace vitals::collectors {

class EdacCollector : public Collector {
 public:
  explicit EdacCollector(const Paths& paths);
  // Without EDAC (no mc directory) nothing is published and the collector succeeds, as
  // in node_exporter. A counter file that is missing, unreadable or not a number skips
  // that sample (node_exporter fails the collector). A missing --path.sysfs fails.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string sysfs_;
  std::string mc_dir_;
  procfs::FileCache files_;
};

}  // namespace vitals::collectors
