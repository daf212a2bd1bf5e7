// The cpu collector's configuration: collectors.cpu.{guest,info,info_flags_include,
// info_bugs_include} and node_exporter's --collector.cpu.guest (on by default),
// --collector.cpu.info (off) and --collector.cpu.info.{flags,bugs}-include.
#include <array>

#include "collectors/config_helpers.h"
#include "collectors/cpu_collector.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

constexpr auto kKeys =
    std::to_array<std::string_view>({"guest", "info", "info_flags_include", "info_bugs_include"});

// node_exporter tests the flag's text: an empty pattern is no filter, not match-all.
template <Regex CpuOptions::*kField>
void ReadInclude(const YAML::Node& node, const std::string& where, std::string_view key,
                 AnyOptions& any) {
  const std::string name(key);
  if (const YAML::Node value = node[name]) {
    const std::string pattern = yaml_input::AsString(value, name);
    OptionsAs<CpuOptions>(any).*kField =
        pattern.empty() ? Regex() : CompileAt(value, where + "." + name, pattern);
  }
}
template <Regex CpuOptions::*kField>
Status ApplyInclude(AnyOptions& any, std::string_view value) {
  if (value.empty()) {
    OptionsAs<CpuOptions>(any).*kField = Regex();
    return Status::Ok();
  }
  return ApplyRegexSetting<CpuOptions, kField>(any, value);
}

void ReadSettings(const YAML::Node& node, const std::string& where, AnyOptions& any) {
  ReadBoolSetting<CpuOptions, &CpuOptions::guest>(node, "guest", any);
  ReadBoolSetting<CpuOptions, &CpuOptions::info>(node, "info", any);
  ReadInclude<&CpuOptions::flags_include>(node, where, "info_flags_include", any);
  ReadInclude<&CpuOptions::bugs_include>(node, where, "info_bugs_include", any);
}

constexpr auto kFlags = std::to_array<FlagSetting>({
    {"collector.cpu.guest", "", "Enables metric node_cpu_guest_seconds_total",
     ApplyBoolSetting<CpuOptions, &CpuOptions::guest>},
    {"collector.cpu.info", "", "Enables metric cpu_info",
     ApplyBoolSetting<CpuOptions, &CpuOptions::info>},
    {"collector.cpu.info.flags-include", "REGEX",
     "Filter the `flags` field in cpuInfo with a value that must be a regular expression",
     ApplyInclude<&CpuOptions::flags_include>},
    {"collector.cpu.info.bugs-include", "REGEX",
     "Filter the `bugs` field in cpuInfo with a value that must be a regular expression",
     ApplyInclude<&CpuOptions::bugs_include>},
});

}  // namespace

extern const CollectorSpec cpu_spec = {
    .name = "cpu",
    .enabled_by_default = true,
    .description = "CPU time per mode (/proc/stat); CPU model, flags and bugs (/proc/cpuinfo)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<CpuCollector>(p, o.Get<CpuOptions>());
    },
    .defaults = [] { return AnyOptions(CpuOptions{}); },
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
};

}  // namespace vitals::collectors
