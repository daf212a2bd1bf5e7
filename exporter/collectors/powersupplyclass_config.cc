// The powersupplyclass collector's configuration: collectors.powersupplyclass
// supply_include / supply_exclude, and node_exporter's
// --collector.powersupply.ignored-supplies (default "^$": none).
#include <array>
#include <string_view>

#include "collectors/config_helpers.h"
#include "collectors/powersupplyclass_collector.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

constexpr auto kKeys = std::to_array<std::string_view>({"supply_include", "supply_exclude"});

void ReadSettings(const YAML::Node& node, const std::string& where, AnyOptions& any) {
  ReadFilterSetting<PowerSupplyOptions, &PowerSupplyOptions::supplies>(node, where, "supply", any);
}

constexpr auto kFlags = std::to_array<FlagSetting>({
    {"collector.powersupply.ignored-supplies", "REGEX",
     "Regexp of power supplies to ignore for powersupplyclass collector.",
     ApplyFilterSetting<PowerSupplyOptions, &PowerSupplyOptions::supplies, false>},
});

}  // namespace

extern const CollectorSpec powersupplyclass_spec = {
    .name = "powersupplyclass",
    .enabled_by_default = true,
    .description = "Batteries, AC adapters and USB power (/sys/class/power_supply)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<PowerSupplyClassCollector>(p, o.Get<PowerSupplyOptions>());
    },
    .defaults = [] { return AnyOptions(PowerSupplyOptions{}); },
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
};

}  // namespace vitals::collectors
