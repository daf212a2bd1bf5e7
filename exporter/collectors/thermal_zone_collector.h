// thermal_zone: node_thermal_zone_temp per thermal zone and node_cooling_device_
// {cur,max}_state per cooling device, from /sys/class/thermal.
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_cache.h"

namespace vitals::collectors {

class ThermalZoneCollector : public Collector {
 public:
  explicit ThermalZoneCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string sysfs_;
  std::string thermal_dir_;
  procfs::FileCache files_;
};

}  // namespace vitals::collectors
