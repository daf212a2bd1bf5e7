// xfs: node_xfs_*{device} per mounted XFS filesystem from
// /sys/fs/xfs/<device>/stats/stats (Linux >= 4.4), node_exporter 1.5's xfs collector.
// Like node_exporter, the global /proc/fs/xfs/stat is not read.
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_cache.h"

namespace vitals::collectors {

class XfsCollector : public Collector {
 public:
  explicit XfsCollector(const Paths& paths);
  // No XFS filesystem mounted (no fs/xfs/*/stats/stats, or no fs/xfs at all) publishes
  // nothing and succeeds, as node_exporter does; a missing --path.sysfs fails. A stats file that
  // cannot be read or parsed fails the collector and publishes nothing (node_exporter's SysStats
  // fails as a whole).
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string sysfs_;
  std::string fs_xfs_;
  procfs::FileCache files_;
};

}  // namespace vitals::collectors
