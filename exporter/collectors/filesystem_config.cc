// The filesystem collector's configuration: collectors.filesystem keys and the
// --collector.filesystem.* flags, with node_exporter's default exclusions.
#include <array>

#include "collectors/config_helpers.h"
#include "collectors/filesystem_collector.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

// More statfs threads than this only add memory: mounts are stat'ed in microseconds.
constexpr int kMaxStatWorkers = 64;
// A longer wait is a typo (3000000h overflowed the statfs deadline and marked every
// mount device_error 1); a mount stuck this long is stuck.
constexpr std::chrono::milliseconds kMaxMountTimeout = std::chrono::minutes(5);

AnyOptions Defaults() {
  FilesystemOptions options;
  options.mount_points = *DeviceFilter::Make("", kDefaultMountPointsExclude);
  options.fs_types = *DeviceFilter::Make("", kDefaultFsTypesExclude);
  return AnyOptions(std::move(options));
}

constexpr auto kKeys = std::to_array<std::string_view>(
    {"mount_points_include", "mount_points_exclude", "fs_types_include", "fs_types_exclude",
     "mount_timeout", "stat_workers"});

void ReadSettings(const YAML::Node& node, const std::string& where, AnyOptions& any) {
  auto& options = OptionsAs<FilesystemOptions>(any);
  options.mount_points = ReadFilter(node, where, "mount_points", options.mount_points);
  options.fs_types = ReadFilter(node, where, "fs_types", options.fs_types);
  if (node["mount_timeout"]) {
    options.mount_timeout =
        yaml_input::AsDuration(node["mount_timeout"], "mount_timeout", kMaxMountTimeout);
  }
  if (node["stat_workers"]) {
    options.stat_workers = yaml_input::AsPositiveInt(node["stat_workers"], "stat_workers");
    if (options.stat_workers > kMaxStatWorkers) {
      throw yaml_input::Error(node["stat_workers"].Mark(),
                              "stat_workers must be at most " + std::to_string(kMaxStatWorkers));
    }
  }
}

using O = FilesystemOptions;
constexpr auto kFlags = std::to_array<FlagSetting>({
    {"collector.filesystem.mount-points-include", "REGEX",
     "Regexp of mount points to include (excludes the default exclusions)",
     ApplyFilterSetting<O, &O::mount_points, true>},
    {"collector.filesystem.mount-points-exclude", "REGEX", "Regexp of mount points to exclude",
     ApplyFilterSetting<O, &O::mount_points, false>},
    {"collector.filesystem.fs-types-include", "REGEX", "Regexp of filesystem types to include",
     ApplyFilterSetting<O, &O::fs_types, true>},
    {"collector.filesystem.fs-types-exclude", "REGEX", "Regexp of filesystem types to exclude",
     ApplyFilterSetting<O, &O::fs_types, false>},
    {"collector.filesystem.mount-timeout", "DURATION",
     "How long to wait for statfs before a mount is marked stuck (default 5s)",
     [](AnyOptions& o, std::string_view v) {
       return ApplyDurationFlag(v, OptionsAs<O>(o).mount_timeout, kMaxMountTimeout);
     }},
});

}  // namespace

extern const CollectorSpec filesystem_spec = {
    .name = "filesystem",
    .enabled_by_default = true,
    .description = "Filesystem space and inodes (mountinfo + statfs)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<FilesystemCollector>(p, o.Get<FilesystemOptions>());
    },
    .defaults = Defaults,
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
};

}  // namespace vitals::collectors
