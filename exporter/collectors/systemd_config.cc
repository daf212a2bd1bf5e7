// The systemd collector's configuration: collectors.systemd.* and node_exporter's
// --collector.systemd.* flags (unit filters and the three optional metric groups).
#include <array>

#include "collectors/config_helpers.h"
#include "collectors/registry.h"
#include "collectors/systemd_collector.h"

namespace vitals::collectors {
namespace {

AnyOptions Defaults() {
  SystemdOptions options;
  options.unit_include = *CompileUnitPattern(kDefaultSystemdUnitInclude);
  options.unit_exclude = *CompileUnitPattern(kDefaultSystemdUnitExclude);
  return AnyOptions(std::move(options));
}

constexpr auto kKeys = std::to_array<std::string_view>(
    {"unit_include", "unit_exclude", "enable_task_metrics", "enable_restarts_metrics",
     "enable_start_time_metrics", "enable_cgroup_metrics", "timeout"});

template <Regex SystemdOptions::*kField>
void ReadPattern(const YAML::Node& node, const std::string& where, const char* key,
                 SystemdOptions& options) {
  if (const YAML::Node value = node[key]) {
    const std::string pattern = yaml_input::AsString(value, key);
    // The error names the pattern as written, or else the anchored form that failed
    // ("(?x)a #" compiles alone, but its comment swallows the closing ")$").
    if (!Regex::Compile(pattern).ok()) CompileAt(value, where + "." + key, pattern);  // Throws.
    auto regex = CompileUnitPattern(pattern);
    if (!regex.ok()) CompileAt(value, where + "." + key, "^(?:" + pattern + ")$");  // Throws.
    options.*kField = std::move(*regex);
  }
}

void ReadSettings(const YAML::Node& node, const std::string& where, AnyOptions& any) {
  auto& options = OptionsAs<SystemdOptions>(any);
  ReadPattern<&SystemdOptions::unit_include>(node, where, "unit_include", options);
  ReadPattern<&SystemdOptions::unit_exclude>(node, where, "unit_exclude", options);
  for (const auto& [key, field] :
       {std::pair{"enable_task_metrics", &SystemdOptions::enable_task_metrics},
        std::pair{"enable_restarts_metrics", &SystemdOptions::enable_restarts_metrics},
        std::pair{"enable_start_time_metrics", &SystemdOptions::enable_start_time_metrics},
        std::pair{"enable_cgroup_metrics", &SystemdOptions::enable_cgroup_metrics}}) {
    if (const YAML::Node value = node[key]) options.*field = yaml_input::AsBool(value, key);
  }
  if (const YAML::Node value = node["timeout"]) {
    options.timeout = yaml_input::AsDuration(value, "timeout");
  }
}

template <Regex SystemdOptions::*kField>
Status ApplyPattern(AnyOptions& any, std::string_view value) {
  auto regex = CompileUnitPattern(value);
  if (!regex.ok()) return Status::Fail(regex.error());
  OptionsAs<SystemdOptions>(any).*kField = std::move(*regex);
  return Status::Ok();
}

// A boolean flag: "true" from --collector.systemd.X, "false" from --no-collector.systemd.X.
template <bool SystemdOptions::*kField>
Status SetBool(AnyOptions& any, std::string_view value) {
  OptionsAs<SystemdOptions>(any).*kField = value == "true";
  return Status::Ok();
}

constexpr auto kFlags = std::to_array<FlagSetting>({
    {"collector.systemd.unit-include", "REGEX",
     "Regexp of systemd units to include. Units must both match include and not match exclude "
     "to be included. (default .+)",
     ApplyPattern<&SystemdOptions::unit_include>, /*exclusive_with_exclude=*/false},
    {"collector.systemd.unit-exclude", "REGEX",
     "Regexp of systemd units to exclude. Units must both match include and not match exclude "
     "to be included. (default .+\\.(automount|device|mount|scope|slice))",
     ApplyPattern<&SystemdOptions::unit_exclude>},
    {"collector.systemd.enable-task-metrics", "",
     "Enables service unit tasks metrics unit_tasks_current and unit_tasks_max",
     SetBool<&SystemdOptions::enable_task_metrics>},
    {"collector.systemd.enable-restarts-metrics", "",
     "Enables service unit metric service_restart_total",
     SetBool<&SystemdOptions::enable_restarts_metrics>},
    {"collector.systemd.enable-start-time-metrics", "",
     "Enables service unit metric unit_start_time_seconds",
     SetBool<&SystemdOptions::enable_start_time_metrics>},
    {"collector.systemd.enable-cgroup-metrics", "",
     "Enables vitals_systemd_unit_* from each service's cgroup: CPU, memory and its peak, "
     "tasks, I/O and PSI (vitals only)",
     SetBool<&SystemdOptions::enable_cgroup_metrics>},
    {"collector.systemd.timeout", "DURATION",
     "How long a scrape waits for systemd over D-Bus at most, when the request sets no "
     "shorter deadline (vitals only; default 10s)",
     [](AnyOptions& any, std::string_view value) {
       return ApplyDurationFlag(value, OptionsAs<SystemdOptions>(any).timeout);
     }},
});

}  // namespace

extern const CollectorSpec systemd_spec = {
    .name = "systemd",
    .enabled_by_default = false,
    .description = "systemd units, sockets, timers and system state (D-Bus, system bus)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<SystemdCollector>(p, o.Get<SystemdOptions>());
    },
    .defaults = Defaults,
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
};

}  // namespace vitals::collectors
