// The tapestats collector's configuration: collectors.tapestats device filters and
// node_exporter's --collector.tapestats.ignored-devices.
#include <array>
#include <string_view>

#include "collectors/config_helpers.h"
#include "collectors/registry.h"
#include "collectors/tapestats_collector.h"

namespace vitals::collectors {
namespace {

constexpr auto kKeys = std::to_array<std::string_view>({"device_include", "device_exclude"});

void ReadSettings(const YAML::Node& node, const std::string& where, AnyOptions& any) {
  ReadFilterSetting<TapestatsOptions, &TapestatsOptions::devices>(node, where, "device", any);
}

constexpr auto kFlags = std::to_array<FlagSetting>({
    {"collector.tapestats.ignored-devices", "REGEX", "Regexp of devices to ignore for tapestats.",
     ApplyFilterSetting<TapestatsOptions, &TapestatsOptions::devices, false>},
});

}  // namespace

extern const CollectorSpec tapestats_spec = {
    .name = "tapestats",
    .enabled_by_default = true,
    .description = "SCSI tape drives' I/O statistics (/sys/class/scsi_tape)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<TapestatsCollector>(p, o.Get<TapestatsOptions>());
    },
    .defaults = [] { return AnyOptions(TapestatsOptions{}); },
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
};

}  // namespace vitals::collectors
