// The textfile collector's configuration: collectors.textfile.directories and
// node_exporter's --collector.textfile.directory (repeatable here; node_exporter 1.5
// takes one value, a directory or a glob pattern).
#include <array>

#include "collectors/config_helpers.h"
#include "collectors/registry.h"
#include "collectors/textfile_collector.h"

namespace vitals::collectors {
namespace {

AnyOptions Defaults() {
  TextfileOptions options;
  options.directories = {kDefaultTextfileDirectory};
  return AnyOptions(std::move(options));
}

constexpr auto kKeys = std::to_array<std::string_view>({"directories"});

void ReadSettings(const YAML::Node& node, const std::string& /*where*/, AnyOptions& any) {
  if (const YAML::Node directories = node["directories"]) {
    OptionsAs<TextfileOptions>(any).directories =
        yaml_input::AsStringList(directories, "directories");
  }
}

constexpr auto kFlags = std::to_array<FlagSetting>({
    {"collector.textfile.directory", "DIR",
     "Directory (or glob pattern) to read text files with metrics from; repeatable (default "
     "/var/lib/prometheus/node-exporter)",
     [](AnyOptions& o, std::string_view v) {
       // The flag parser joins repeated values with newlines.
       auto& directories = OptionsAs<TextfileOptions>(o).directories;
       directories.clear();
       while (true) {
         const size_t end = v.find('\n');
         directories.emplace_back(v.substr(0, end));
         if (end == std::string_view::npos) break;
         v.remove_prefix(end + 1);
       }
       return Status::Ok();
     },
     /*exclusive_with_exclude=*/true,
     /*repeatable=*/true},
});

}  // namespace

extern const CollectorSpec textfile_spec = {
    .name = "textfile",
    .enabled_by_default = true,
    .description = "Metrics from *.prom files in the textfile directories",
    .make = [](const Paths& /*p*/, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<TextfileCollector>(o.Get<TextfileOptions>());
    },
    .defaults = Defaults,
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
    .runs_last = true,
};

}  // namespace vitals::collectors
