// The netdev collector's configuration: collectors.netdev device filters and
// --collector.netdev.device-*.
#include <array>

#include "collectors/config_helpers.h"
#include "collectors/netdev_collector.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

AnyOptions Defaults() { return AnyOptions(NetdevOptions{}); }

constexpr auto kKeys = std::to_array<std::string_view>({"device_include", "device_exclude"});

void ReadSettings(const YAML::Node& node, const std::string& where, AnyOptions& any) {
  ReadFilterSetting<NetdevOptions, &NetdevOptions::devices>(node, where, "device", any);
}

constexpr auto kFlags = std::to_array<FlagSetting>({
    {"collector.netdev.device-include", "REGEX", "Regexp of net devices to include",
     ApplyFilterSetting<NetdevOptions, &NetdevOptions::devices, true>},
    {"collector.netdev.device-exclude", "REGEX", "Regexp of net devices to exclude",
     ApplyFilterSetting<NetdevOptions, &NetdevOptions::devices, false>},
});

}  // namespace

extern const CollectorSpec netdev_spec = {
    .name = "netdev",
    .enabled_by_default = true,
    .description = "Interface traffic counters (/proc/net/dev)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<NetdevCollector>(p, o.Get<NetdevOptions>());
    },
    .defaults = Defaults,
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
};

}  // namespace vitals::collectors
