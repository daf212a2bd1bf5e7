#include "collectors/time_collector.h"

#include <dirent.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <vector>

#include "base/text.h"
#include "collectors/metric_builder.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

constexpr std::string_view kClocksourcePrefix = "clocksource";

std::vector<std::string> ListClocksources(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (const dirent* entry = readdir(d)) {
      if (StartsWith(entry->d_name, kClocksourcePrefix)) names.emplace_back(entry->d_name);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

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
  for (const auto& name : ListClocksources(clocksource_dir_)) {
    const std::string device = name.substr(kClocksourcePrefix.size());
    const std::string dir = clocksource_dir_ + "/" + name + "/";
    std::string_view sources = files_.ReadTrimmed(dir + "available_clocksource");
    for (auto source = NextField(sources); !source.empty(); source = NextField(sources)) {
      AddSample(available, 1, {{"clocksource", source}, {"device", device}});
    }
    if (auto current_source = files_.ReadTrimmed(dir + "current_clocksource");
        !current_source.empty()) {
      AddSample(current, 1, {{"clocksource", current_source}, {"device", device}});
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
