// slabinfo: node_slabinfo_*{slab} from /proc/slabinfo, node_exporter 1.5's slabinfo
// collector (off by default there and here).
#pragma once

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class SlabinfoCollector : public Collector {
 public:
  explicit SlabinfoCollector(const Paths& paths);
  // /proc/slabinfo is readable by root only (mode 0400): run as another user, the read
  // fails with EACCES and so does the collector, publishing nothing, as node_exporter's
  // ("couldn't get slabinfo: open /proc/slabinfo: permission denied"). A line that does
  // not parse fails it too.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  procfs::FileReader slabinfo_file_;  // A seq_file, read to EOF.
};

}  // namespace vitals::collectors
