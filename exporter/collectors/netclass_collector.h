// netclass: node_network_up, _info, _speed_bytes and every numeric attribute node_exporter
// 1.5 publishes (carrier, flags, mtu_bytes, ...) per interface from
// /sys/class/net/<iface>/.
#pragma once

#include <string>

#include "collectors/collector.h"
#include "collectors/device_filter.h"
#include "procfs/file_cache.h"

namespace vitals::collectors {

struct NetclassOptions {
  DeviceFilter devices;
  bool ignore_invalid_speed = false;  // Drop speed_bytes when the driver reports -1.

  bool operator==(const NetclassOptions&) const = default;
};

class NetclassCollector : public Collector {
 public:
  NetclassCollector(const Paths& paths, const NetclassOptions& options);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string class_net_;
  NetclassOptions options_;
  procfs::FileCache files_;
};

}  // namespace vitals::collectors
