// The bcache collector's configuration: collectors.bcache.priority_stats and
// node_exporter's --collector.bcache.priorityStats.
#include <array>
#include <string_view>

#include "collectors/bcache_collector.h"
#include "collectors/config_helpers.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

constexpr auto kKeys = std::to_array<std::string_view>({"priority_stats"});

void ReadSettings(const YAML::Node& node, const std::string& /*where*/, AnyOptions& any) {
  ReadBoolSetting<BcacheOptions, &BcacheOptions::priority_stats>(node, "priority_stats", any);
}

constexpr auto kFlags = std::to_array<FlagSetting>({
    {"collector.bcache.priorityStats", "", "Expose expensive priority stats.",
     ApplyBoolSetting<BcacheOptions, &BcacheOptions::priority_stats>},
});

}  // namespace

extern const CollectorSpec bcache_spec = {
    .name = "bcache",
    .enabled_by_default = true,
    .description = "bcache cache sets, backing and cache devices (/sys/fs/bcache)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<BcacheCollector>(p, o.Get<BcacheOptions>());
    },
    .defaults = [] { return AnyOptions(BcacheOptions{}); },
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
};

}  // namespace vitals::collectors
