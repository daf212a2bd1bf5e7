// zoneinfo: node_zoneinfo_*{node,zone} from /proc/zoneinfo, node_exporter 1.5's zoneinfo
// collector (off by default there and here).
#pragma once

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class ZoneinfoCollector : public Collector {
 public:
  explicit ZoneinfoCollector(const Paths& paths);
  // An unreadable /proc/zoneinfo fails the collector, as in node_exporter; its content
  // never does (unknown lines are skipped, a bad number reads 0 as procfs reads it).
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  procfs::FileReader zoneinfo_file_;  // A seq_file: one block per zone, read to EOF.
};

}  // namespace vitals::collectors
