// The gpu collector's configuration: collectors.gpu library and timeout, and the
// matching --collector.gpu.* flags. It also reads the processes: groups, to charge
// GPU memory to the same groups as namedprocess_namegroup_*.
#include <array>

#include "collectors/config_helpers.h"
#include "collectors/gpu_collector.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

constexpr auto kKeys = std::to_array<std::string_view>({"library", "timeout"});

void ReadSettings(const YAML::Node& node, const std::string& /*where*/, AnyOptions& any) {
  auto& options = OptionsAs<GpuOptions>(any);
  if (node["library"]) options.library = yaml_input::AsString(node["library"], "library");
  if (node["timeout"]) options.timeout = yaml_input::AsDuration(node["timeout"], "timeout");
}

constexpr auto kFlags = std::to_array<FlagSetting>({
    {"collector.gpu.library", "PATH",
     "NVML library to dlopen for the gpu collector (default libnvidia-ml.so.1)",
     [](AnyOptions& o, std::string_view v) {
       OptionsAs<GpuOptions>(o).library = std::string(v);
       return Status::Ok();
     }},
    {"collector.gpu.timeout", "DURATION",
     "How long a scrape waits for NVML before the gpu collector fails (default 5s)",
     [](AnyOptions& o, std::string_view v) {
       return ApplyDurationFlag(v, OptionsAs<GpuOptions>(o).timeout);
     }},
});

constexpr auto kReads = std::to_array<std::string_view>({"process_groups"});

}  // namespace

extern const CollectorSpec gpu_spec = {
    .name = "gpu",
    .enabled_by_default = true,
    .description =
        "NVIDIA GPUs through NVML, loaded at run time (publishes nothing where NVML is absent)",
    .make = [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
      return std::make_unique<GpuCollector>(p, o.Get<GpuOptions>(), o.Get<ProcessesOptions>());
    },
    .defaults = [] { return AnyOptions(GpuOptions{}); },
    .settings_keys = kKeys,
    .read_settings = ReadSettings,
    .flags = kFlags,
    .reads_options_of = kReads,
};

}  // namespace vitals::collectors
