// hwmon: node_hwmon_* from /sys/class/hwmon (temperatures, fans, voltages, currents,
// power, energy, humidity, and the chips' alarm, beep and pwm attributes), with
// node_exporter 1.5's chip names, metric names, units and HELP.
#pragma once

#include <string>

#include "collectors/collector.h"
#include "procfs/file_cache.h"

namespace vitals::collectors {

class HwmonCollector : public Collector {
 public:
  explicit HwmonCollector(const Paths& paths);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  std::string sysfs_;
  std::string hwmon_dir_;
  procfs::FileCache files_;
};

}  // namespace vitals::collectors
