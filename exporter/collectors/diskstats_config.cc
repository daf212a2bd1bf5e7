// The diskstats collector's configuration: collectors.diskstats device filters and
// --collector.diskstats.device-*, with node_exporter's default exclusion.
#include <array>

#include "collectors/config_helpers.h"
#include "collectors/diskstats_collector.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

AnyOptions Defaults() {
  DiskstatsOptions options;
  options.devices = *DeviceFilter::Make("", kDefaultDiskDeviceExclude);
  return AnyOptions(std::move(options));
}

constexpr auto kKeys = std::to_array<std::string_view>({"device_include", "device_exclude"});

void ReadSettings(const YAML::Node& node, const std::string& where, AnyOptions& any) {
  ReadFilterSetting<DiskstatsOptions, &DiskstatsOptions::devices>(node, where, "device", any);
}

constexpr auto kFlags = std::to_array<FlagSetting>({
    {"collector.diskstats.device-include", "REGEX", "Regexp of disk devices to include",
     ApplyFilterSetting<DiskstatsOptions, &DiskstatsOptions::devices, true>},
    {"collector.diskstats.device-exclude", "REGEX", "Regexp of disk devices to exclude",
     ApplyFilterSetting<DiskstatsOptions, &DiskstatsOptions::devices, false>},
});

}  // namespace

extern const CollectorSpec diskstats_spec = {
    .name = "diskstats",
    .enabled_by_default = true,
    .description = "Block device I/O (/proc/diskstats)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<DiskstatsCollector>(p, o.Get<DiskstatsOptions>());
    },
    .defaults = Defaults,
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
};

}  // namespace vitals::collectors
