// The netclass collector's configuration: collectors.netclass device filters and
// ignore_invalid_speed, and node_exporter's --collector.netclass.ignored-devices and
// --collector.netclass.ignore-invalid-speed.
#include <array>
#include <string_view>

#include "collectors/config_helpers.h"
#include "collectors/netclass_collector.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

constexpr auto kKeys =
    std::to_array<std::string_view>({"device_include", "device_exclude", "ignore_invalid_speed"});

void ReadSettings(const YAML::Node& node, const std::string& where, AnyOptions& any) {
  ReadFilterSetting<NetclassOptions, &NetclassOptions::devices>(node, where, "device", any);
  auto& options = OptionsAs<NetclassOptions>(any);
  if (node["ignore_invalid_speed"]) {
    options.ignore_invalid_speed =
        yaml_input::AsBool(node["ignore_invalid_speed"], "ignore_invalid_speed");
  }
}

constexpr auto kFlags = std::to_array<FlagSetting>({
    {"collector.netclass.ignored-devices", "REGEX", "Regexp of net devices to ignore for netclass",
     ApplyFilterSetting<NetclassOptions, &NetclassOptions::devices, false>},
    {"collector.netclass.ignore-invalid-speed", "",
     "Ignore devices where the speed is invalid (speed_bytes of -1 Mbit/s)",
     [](AnyOptions& any, std::string_view value) {
       OptionsAs<NetclassOptions>(any).ignore_invalid_speed = value == "true";
       return Status::Ok();
     }},
});

}  // namespace

extern const CollectorSpec netclass_spec = {
    .name = "netclass",
    .enabled_by_default = true,
    .description = "Interface state, MTU, speed and attributes (/sys/class/net)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<NetclassCollector>(p, o.Get<NetclassOptions>());
    },
    .defaults = [] { return AnyOptions(NetclassOptions{}); },
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
};

}  // namespace vitals::collectors
