#include "collectors/watchdog_collector.h"

#include <optional>
#include <vector>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/class_nvme.h"
#include "procfs/class_watchdog.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {
namespace {

struct Gauge {
  const char* name;
  const char* help;
  std::optional<int64_t> procfs::WatchdogDevice::*value;
};
constexpr Gauge kGauges[] = {
    {"node_watchdog_access_cs0", "Value of /sys/class/watchdog/<watchdog>/access_cs0",
     &procfs::WatchdogDevice::access_cs0},
    {"node_watchdog_bootstatus", "Value of /sys/class/watchdog/<watchdog>/bootstatus",
     &procfs::WatchdogDevice::bootstatus},
    {"node_watchdog_fw_version", "Value of /sys/class/watchdog/<watchdog>/fw_version",
     &procfs::WatchdogDevice::fw_version},
    {"node_watchdog_nowayout", "Value of /sys/class/watchdog/<watchdog>/nowayout",
     &procfs::WatchdogDevice::nowayout},
    {"node_watchdog_pretimeout_seconds", "Value of /sys/class/watchdog/<watchdog>/pretimeout",
     &procfs::WatchdogDevice::pretimeout},
    {"node_watchdog_timeleft_seconds", "Value of /sys/class/watchdog/<watchdog>/timeleft",
     &procfs::WatchdogDevice::timeleft},
    {"node_watchdog_timeout_seconds", "Value of /sys/class/watchdog/<watchdog>/timeout",
     &procfs::WatchdogDevice::timeout},
};

}  // namespace

WatchdogCollector::WatchdogCollector(const Paths& paths)
    : sysfs_(paths.sysfs), class_dir_(procfs::JoinPath(paths.sysfs, "class/watchdog")) {}

Status WatchdogCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto names = procfs::ListClassDir(class_dir_);
  if (!names.ok()) {
    if (names.failure().Vanished() && procfs::IsDirectory(sysfs_)) return Status::Ok();
    return Status::Fail(names.error());
  }
  std::vector<procfs::WatchdogDevice> devices;
  for (const std::string& name : *names) {
    devices.push_back(procfs::ReadWatchdog(files_, class_dir_, name));
  }
  auto& info =
      AddFamily(out, "node_watchdog_info", "Info of /sys/class/watchdog/<watchdog>", kGauge);
  for (const auto& device : devices) {
    AddSample(info, 1,
              {{"name", device.name},
               {"options", device.options.value_or("")},
               {"identity", device.identity.value_or("")},
               {"state", device.state.value_or("")},
               {"status", device.status.value_or("")},
               {"pretimeout_governor", device.pretimeout_governor.value_or("")}});
  }
  for (const Gauge& gauge : kGauges) {
    auto& family = AddFamily(out, gauge.name, gauge.help, kGauge);
    for (const auto& device : devices) {
      const auto& value = device.*gauge.value;
      if (value) AddSample(family, static_cast<double>(*value), {{"name", device.name}});
    }
  }
  files_.Sweep();
  return Status::Ok();
}

extern const CollectorSpec watchdog_spec = {
    .name = "watchdog",
    .enabled_by_default = false,
    .description = "Watchdog timers' timeouts, state and identity (/sys/class/watchdog)",
    .make = MakeWithPaths<WatchdogCollector>,
};

}  // namespace vitals::collectors
