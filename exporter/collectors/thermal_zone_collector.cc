#include "collectors/thermal_zone_collector.h"

#include <cerrno>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/file_reader.h"
#include "procfs/thermal.h"

namespace vitals::collectors {

ThermalZoneCollector::ThermalZoneCollector(const Paths& paths)
    : sysfs_(paths.sysfs), thermal_dir_(procfs::JoinPath(paths.sysfs, "class/thermal")) {}

Status ThermalZoneCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  // No /sys/class/thermal, or one without zones (a VM): both globs are empty and the
  // families too, a success as in node_exporter.
  if (!procfs::IsDirectory(sysfs_)) return Status::Fail("no such directory: " + sysfs_);
  Status status;
  auto& temp = AddFamily(out, "node_thermal_zone_temp", "Zone temperature in Celsius", kGauge);
  for (const auto& entry : procfs::GlobNumbered(thermal_dir_, "thermal_zone")) {
    const auto zone = procfs::ReadThermalZone(files_, thermal_dir_, entry);
    if (!zone.ok()) {
      // ENODATA (a zone whose sensor is not ready) is skipped by prometheus/procfs too.
      // Any other error fails node_exporter's whole collector; vitals skips only this
      // zone and reports the failure (docs/metrics.md).
      if (zone.failure().sys_errno != ENODATA) status = Status::Fail(zone.error());
      continue;
    }
    AddSample(temp, static_cast<double>(zone->temp_millicelsius) / 1000.0,
              {{"type", zone->type}, {"zone", zone->name}});
  }
  auto& cur = AddFamily(out, "node_cooling_device_cur_state",
                        "Current throttle state of the cooling device", kGauge);
  auto& max = AddFamily(out, "node_cooling_device_max_state",
                        "Maximum throttle state of the cooling device", kGauge);
  for (const auto& entry : procfs::GlobNumbered(thermal_dir_, "cooling_device")) {
    const auto device = procfs::ReadCoolingDevice(files_, thermal_dir_, entry);
    if (!device.ok()) {
      status = Status::Fail(device.error());
      continue;
    }
    AddSample(cur, static_cast<double>(device->cur_state),
              {{"name", device->name}, {"type", device->type}});
    AddSample(max, static_cast<double>(device->max_state),
              {{"name", device->name}, {"type", device->type}});
  }
  files_.Sweep();
  return status;
}

extern const CollectorSpec thermal_zone_spec = {
    .name = "thermal_zone",
    .enabled_by_default = true,
    .description = "Thermal zone temperatures and cooling device states (/sys/class/thermal)",
    .make = MakeWithPaths<ThermalZoneCollector>,
};

}  // namespace vitals::collectors
