// netdev: node_network_{receive,transmit}_*_total per interface from /proc/net/dev,
// plus receive_nohandler from /sys/class/net/<dev>/statistics (not in /proc/net/dev).
#pragma once

#include <string>
#include <vector>

#include "collectors/collector.h"
#include "collectors/device_filter.h"
#include "procfs/file_cache.h"
#include "procfs/file_reader.h"
#include "procfs/net_dev.h"

namespace vitals::collectors {

struct NetdevOptions {
  DeviceFilter devices;

  bool operator==(const NetdevOptions&) const = default;
};

class NetdevCollector : public Collector {
 public:
  NetdevCollector(const Paths& paths, const NetdevOptions& options);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  Paths paths_;
  NetdevOptions options_;
  procfs::FileReader net_dev_file_;
  std::vector<procfs::NetDevStats> devices_;
  procfs::FileCache sysfs_files_;
};

}  // namespace vitals::collectors
