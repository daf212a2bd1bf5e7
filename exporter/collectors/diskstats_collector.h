// diskstats: node_disk_* counters per block device from /proc/diskstats, plus
// node_disk_info labelled from udev's database.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "collectors/collector.h"
#include "collectors/device_filter.h"
#include "procfs/diskstats.h"
#include "procfs/file_reader.h"
#include "procfs/udev_data.h"

namespace vitals::collectors {

// node_exporter 1.5's default: partitions, ram, loop and floppy devices are skipped.
inline constexpr const char* kDefaultDiskDeviceExclude =
    "^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$";

struct DiskstatsOptions {
  DeviceFilter devices;

  bool operator==(const DiskstatsOptions&) const = default;
};

class DiskstatsCollector : public Collector {
 public:
  DiskstatsCollector(const Paths& paths, const DiskstatsOptions& options);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  const procfs::UdevProperties& UdevFor(const procfs::DiskStats& disk);

  Paths paths_;
  DiskstatsOptions options_;
  procfs::FileReader diskstats_file_;
  bool udev_available_;
  std::vector<procfs::DiskStats> disks_;
  // udev properties rarely change; read once per device and keep while it exists.
  std::map<std::string, procfs::UdevProperties> udev_cache_;
  std::string buffer_;
};

}  // namespace vitals::collectors
