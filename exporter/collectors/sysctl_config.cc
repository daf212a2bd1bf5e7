// The sysctl collector's configuration: collectors.sysctl.{include,include_info} (lists)
// and node_exporter's repeatable --collector.sysctl.include / include-info.
#include <array>

#include "collectors/config_helpers.h"
#include "collectors/registry.h"
#include "collectors/sysctl_collector.h"

namespace vitals::collectors {
namespace {

constexpr auto kKeys = std::to_array<std::string_view>({"include", "include_info"});

void ReadSettings(const YAML::Node& node, const std::string& /*where*/, AnyOptions& any) {
  auto& options = OptionsAs<SysctlOptions>(any);
  if (const YAML::Node list = node["include"]) {
    options.include = yaml_input::AsStringList(list, "include");
  }
  if (const YAML::Node list = node["include_info"]) {
    options.include_info = yaml_input::AsStringList(list, "include_info");
  }
}

// The flag parser joins repeated values with newlines.
template <std::vector<std::string> SysctlOptions::*kField>
Status ApplyList(AnyOptions& any, std::string_view value) {
  auto& list = OptionsAs<SysctlOptions>(any).*kField;
  list.clear();
  while (true) {
    const size_t newline = value.find('\n');
    list.emplace_back(value.substr(0, newline));
    if (newline == std::string_view::npos) return Status::Ok();
    value.remove_prefix(newline + 1);
  }
}

constexpr auto kFlags = std::to_array<FlagSetting>({
    {"collector.sysctl.include", "NAME[:KEYS]", "Select sysctl metrics to include",
     ApplyList<&SysctlOptions::include>, true, true},
    {"collector.sysctl.include-info", "NAME", "Select sysctl metrics to include as info metrics",
     ApplyList<&SysctlOptions::include_info>, true, true},
});

}  // namespace

extern const CollectorSpec sysctl_spec = {
    .name = "sysctl",
    .enabled_by_default = false,
    .description = "Chosen /proc/sys values (--collector.sysctl.include)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<SysctlCollector>(p, o.Get<SysctlOptions>());
    },
    .defaults = [] { return AnyOptions(SysctlOptions{}); },
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
};

}  // namespace vitals::collectors
