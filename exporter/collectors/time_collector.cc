#include "collectors/time_collector.h"

#include <chrono>
#include <ctime>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/clocksource.h"

namespace vitals::collectors {

TimeCollector::TimeCollector(const Paths& paths)
    : clocksource_dir_(procfs::JoinPath(paths.sysfs, "devices/system/clocksource")) {}

Status TimeCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto now = std::chrono::system_clock::now();
  const double seconds = std::chrono::duration<double>(now.time_since_epoch()).count();
  AddSingle(out, "node_time_seconds", "System time in seconds since epoch (1970).", kGauge,
            seconds);

  const std::time_t now_t = std::chrono::system_clock::to_time_t(now);
  struct tm local {};
  localtime_r(&now_t, &local);
  AddSample(AddFamily(out, "node_time_zone_offset_seconds", "System time zone offset in seconds.",
                      kGauge),
            static_cast<double>(local.tm_gmtoff), {{"time_zone", local.tm_zone}});
  AddClocksources(out);
  return Status::Ok();
}

void TimeCollector::AddClocksources(Families& out) {
  auto& available =
      AddFamily(out, "node_time_clocksource_available_info",
                "Available clocksources read from '/sys/devices/system/clocksource'.", kGauge);
  auto& current =
      AddFamily(out, "node_time_clocksource_current_info",
                "Current clocksource read from '/sys/devices/system/clocksource'.", kGauge);
  for (const auto& source : procfs::ReadClocksources(files_, clocksource_dir_)) {
    for (const auto& name : source.available) {
      AddSample(available, 1, {{"clocksource", name}, {"device", source.device}});
    }
    if (!source.current.empty()) {
      AddSample(current, 1, {{"clocksource", source.current}, {"device", source.device}});
    }
  }
  files_.Sweep();
}

extern const CollectorSpec time_spec = {
    .name = "time",
    .enabled_by_default = true,
    .description = "System time, time zone and clocksource",
    .make = MakeWithPaths<TimeCollector>,
};

}  // namespace vitals::collectors
