// The rapl collector's configuration: collectors.rapl.zone_label and node_exporter's
// --collector.rapl.enable-zone-label.
#include <array>
#include <string_view>

#include "collectors/config_helpers.h"
#include "collectors/rapl_collector.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

constexpr auto kKeys = std::to_array<std::string_view>({"zone_label"});

void ReadSettings(const YAML::Node& node, const std::string& /*where*/, AnyOptions& any) {
  if (node["zone_label"]) {
    OptionsAs<RaplOptions>(any).zone_label = yaml_input::AsBool(node["zone_label"], "zone_label");
  }
}

constexpr auto kFlags = std::to_array<FlagSetting>({
    // node_exporter 1.5's help text for this flag is a copy of the systemd one.
    {"collector.rapl.enable-zone-label", "", "Enables service unit metric unit_start_time_seconds",
     [](AnyOptions& any, std::string_view value) {
       OptionsAs<RaplOptions>(any).zone_label = value == "true";
       return Status::Ok();
     }},
});

}  // namespace

extern const CollectorSpec rapl_spec = {
    .name = "rapl",
    .enabled_by_default = true,
    .description = "RAPL energy counters (/sys/class/powercap)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<RaplCollector>(p, o.Get<RaplOptions>());
    },
    .defaults = [] { return AnyOptions(RaplOptions{}); },
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
};

}  // namespace vitals::collectors
