// The vmstat collector's configuration: collectors.vmstat.fields and node_exporter's
// --collector.vmstat.fields, a regex of the /proc/vmstat fields to publish.
#include <array>

#include "collectors/config_helpers.h"
#include "collectors/registry.h"
#include "collectors/vmstat_collector.h"

namespace vitals::collectors {
namespace {

AnyOptions Defaults() {
  VmstatOptions options;
  options.fields = *Regex::Compile(kDefaultVmstatFields);
  return AnyOptions(std::move(options));
}

constexpr auto kKeys = std::to_array<std::string_view>({"fields"});

void ReadSettings(const YAML::Node& node, const std::string& where, AnyOptions& any) {
  ReadRegexSetting<VmstatOptions, &VmstatOptions::fields>(node, where, "fields", any);
}

constexpr auto kFlags = std::to_array<FlagSetting>({
    {"collector.vmstat.fields", "REGEX",
     "Regexp of /proc/vmstat fields to return (default ^(oom_kill|pgpg|pswp|pg.*fault).*)",
     ApplyRegexSetting<VmstatOptions, &VmstatOptions::fields>},
});

}  // namespace

extern const CollectorSpec vmstat_spec = {
    .name = "vmstat",
    .enabled_by_default = true,
    .description = "Virtual memory statistics (/proc/vmstat)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<VmstatCollector>(p, o.Get<VmstatOptions>());
    },
    .defaults = Defaults,
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
};

}  // namespace vitals::collectors
