// buddyinfo: node_buddyinfo_blocks{node,zone,size} from /proc/buddyinfo,
// node_exporter 1.5's buddyinfo collector (off by default).
#pragma once

#include "collectors/collector.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

class BuddyinfoCollector : public Collector {
 public:
  explicit BuddyinfoCollector(const Paths& paths);
  // A missing, unreadable or malformed /proc/buddyinfo fails the collector and
  // publishes nothing, as node_exporter does.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  procfs::FileReader buddyinfo_file_;
};

}  // namespace vitals::collectors
