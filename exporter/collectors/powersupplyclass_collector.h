// powersupplyclass: node_power_supply_* per battery, mains adapter or USB port from
// /sys/class/power_supply (numbers scaled as node_exporter 1.5 scales them, and
// node_power_supply_info with the text attributes as labels).
#pragma once

#include <string>

#include "collectors/collector.h"
#include "collectors/device_filter.h"
#include "procfs/file_cache.h"

namespace vitals::collectors {

struct PowerSupplyOptions {
  DeviceFilter supplies;  // --collector.powersupply.ignored-supplies

  bool operator==(const PowerSupplyOptions&) const = default;
};

class PowerSupplyClassCollector : public Collector {
 public:
  PowerSupplyClassCollector(const Paths& paths, const PowerSupplyOptions& options);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string sysfs_;
  std::string class_dir_;
  PowerSupplyOptions options_;
  procfs::FileCache files_;
};

}  // namespace vitals::collectors
