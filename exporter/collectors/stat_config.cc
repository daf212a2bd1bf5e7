// The stat collector's configuration: collectors.stat.softirq and node_exporter's
// --collector.stat.softirq (off by default, as there).
#include <array>

#include "collectors/config_helpers.h"
#include "collectors/registry.h"
#include "collectors/stat_collector.h"

namespace vitals::collectors {
namespace {

constexpr auto kKeys = std::to_array<std::string_view>({"softirq"});

void ReadSettings(const YAML::Node& node, const std::string& /*where*/, AnyOptions& any) {
  ReadBoolSetting<StatOptions, &StatOptions::softirq>(node, "softirq", any);
}

constexpr auto kFlags = std::to_array<FlagSetting>({
    {"collector.stat.softirq", "", "Export softirq calls per vector",
     ApplyBoolSetting<StatOptions, &StatOptions::softirq>},
});

}  // namespace

extern const CollectorSpec stat_spec = {
    .name = "stat",
    .enabled_by_default = true,
    .description = "Boot time, context switches, forks, interrupts, softirqs (/proc/stat)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<StatCollector>(p, o.Get<StatOptions>());
    },
    .defaults = [] { return AnyOptions(StatOptions{}); },
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
};

}  // namespace vitals::collectors
