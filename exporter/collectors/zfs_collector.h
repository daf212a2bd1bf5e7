// zfs: node_zfs_* from OpenZFS's kstats under /proc/spl/kstat/zfs, node_exporter 1.5's
// zfs collector: one untyped family per uint64 row of arcstats, abdstats, dbufstats,
// dmu_tx, dnodestats, fm, vdev_cache_stats, vdev_mirror_stats, xuio_stats,
// zfetchstats and zil (node_zfs_<subsystem>_<row>, HELP the kstat's sysctl-style name),
// and per pool node_zfs_zpool_<io field>{zpool}, node_zfs_zpool_dataset_<row>{zpool,
// dataset} and node_zfs_zpool_state{zpool,state}.
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_cache.h"

namespace vitals::collectors {

class ZfsCollector : public Collector {
 public:
  explicit ZfsCollector(const Paths& paths);
  // Without ZFS (no spl/kstat/zfs while --path.procfs exists) nothing is published and
  // the collector succeeds (node_exporter: "no data", unsuccessful); a missing
  // --path.procfs fails. A subsystem file that is absent is skipped; one that does not
  // parse, and a pool file that cannot be read or parsed, fails the collector, what was
  // gathered before it still published, as node_exporter.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string procfs_;
  std::string kstat_zfs_;
  procfs::FileCache files_;
};

}  // namespace vitals::collectors
