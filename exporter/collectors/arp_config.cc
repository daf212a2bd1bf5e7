// The arp collector's configuration: collectors.arp device filters and
// --collector.arp.device-*.
#include <array>

#include "collectors/arp_collector.h"
#include "collectors/config_helpers.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

AnyOptions Defaults() { return AnyOptions(ArpOptions{}); }

constexpr auto kKeys = std::to_array<std::string_view>({"device_include", "device_exclude"});

void ReadSettings(const YAML::Node& node, const std::string& where, AnyOptions& any) {
  ReadFilterSetting<ArpOptions, &ArpOptions::devices>(node, where, "device", any);
}

constexpr auto kFlags = std::to_array<FlagSetting>({
    {"collector.arp.device-include", "REGEX",
     "Regexp of arp devices to include (mutually exclusive to device-exclude)",
     ApplyFilterSetting<ArpOptions, &ArpOptions::devices, true>},
    {"collector.arp.device-exclude", "REGEX",
     "Regexp of arp devices to exclude (mutually exclusive to device-include)",
     ApplyFilterSetting<ArpOptions, &ArpOptions::devices, false>},
});

}  // namespace

extern const CollectorSpec arp_spec = {
    .name = "arp",
    .enabled_by_default = true,
    .description = "ARP table entries per interface (/proc/net/arp)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<ArpCollector>(p, o.Get<ArpOptions>());
    },
    .defaults = Defaults,
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
};

}  // namespace vitals::collectors
