// btrfs: node_btrfs_* per btrfs filesystem from /sys/fs/btrfs/<uuid>/, node_exporter
// 1.5's btrfs collector without its ioctl part (see Collect).
#pragma once

#include <string>

#include "collectors/collector.h"

namespace vitals::collectors {

class BtrfsCollector : public Collector {
 public:
  explicit BtrfsCollector(const Paths& paths);
  // node_btrfs_{info,global_rsv_size_bytes,reserved_bytes,used_bytes,size_bytes,
  // allocation_ratio,device_size_bytes} from sysfs, as node_exporter. node_exporter 1.5
  // also opens each btrfs mount point listed in <procfs>/1/mounts and asks the kernel
  // over ioctl(BTRFS_IOC_FS_INFO, DEV_INFO, GET_DEV_STATS) for
  // node_btrfs_device_unused_bytes and node_btrfs_device_errors_total{device,type},
  // taking device_size_bytes from there too; vitals does not (yet): those need root and
  // a mounted btrfs, which no fixture tree can stand in for. Without btrfs (no
  // fs/btrfs/*-*) nothing is published and the collector succeeds, as in node_exporter;
  // a filesystem whose allocation/system cannot be listed (or that fails to read there)
  // fails the collector, publishing nothing, as node_exporter.
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string sysfs_;
  std::string fs_btrfs_;
};

}  // namespace vitals::collectors
