#include "collectors/rapl_collector.h"

#include <map>

#include "collectors/metric_builder.h"
#include "procfs/file_reader.h"
#include "procfs/powercap.h"

namespace vitals::collectors {

RaplCollector::RaplCollector(const Paths& paths, const RaplOptions& options)
    : sysfs_(paths.sysfs),
      powercap_dir_(procfs::JoinPath(paths.sysfs, "class/powercap")),
      options_(options) {}

Status RaplCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto zones = procfs::ReadRaplZones(files_, powercap_dir_);
  if (!zones.ok()) {
    files_.Sweep();
    // No powercap (a VM, AMD before 5.8) or no access: node_exporter returns ErrNoData
    // (success 0); vitals stays successful. A wrong --path.sysfs fails.
    const auto& failure = zones.failure();
    if ((failure.Vanished() || failure.Denied()) && procfs::IsDirectory(sysfs_)) {
      return Status::Ok();
    }
    return Status::Fail(zones.error());
  }
  Status status;
  std::map<std::string, prometheus::MetricFamily*> families;
  for (const auto& zone : *zones) {
    const auto microjoules = procfs::ReadSysfsUint(files_, zone.path + "/energy_uj");
    if (!microjoules.ok()) {
      // energy_uj is root-only since Linux 5.10: skipped without failing, as
      // node_exporter's ErrNoData. Other errors skip the zone and fail.
      if (!microjoules.failure().Denied()) status = Status::Fail(microjoules.error());
      continue;
    }
    const double joules = static_cast<double>(*microjoules) / 1000000.0;
    const std::string index = std::to_string(zone.index);
    if (options_.zone_label) {
      auto& family = families["node_rapl_joules_total"];
      if (family == nullptr) {
        family =
            &AddFamily(out, "node_rapl_joules_total", "Current RAPL value in joules", kCounter);
      }
      AddSample(*family, joules, {{"index", index}, {"path", zone.path}, {"rapl_zone", zone.name}});
      continue;
    }
    const std::string name = "node_rapl_" + procfs::SanitizeMetricName(zone.name) + "_joules_total";
    auto& family = families[name];
    if (family == nullptr) {
      family = &AddFamily(out, name, "Current RAPL " + zone.name + " value in joules", kCounter);
    }
    AddSample(*family, joules, {{"index", index}, {"path", zone.path}});
  }
  files_.Sweep();
  return status;
}

}  // namespace vitals::collectors
