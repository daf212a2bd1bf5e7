#include "collectors/cpu_collector.h"

#include <array>
#include <string>
#include <utility>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"

namespace vitals::collectors {
namespace {

using procfs::CpuTimes;

// An idle counter this far below the last one means a CPU was hot-plugged: start over.
constexpr uint64_t kJumpBackTicks = 3 * static_cast<uint64_t>(procfs::kUserHz);

struct Mode {
  std::string_view name;
  uint64_t CpuTimes::*field;
};

constexpr std::array<Mode, 8> kModes = {{{"idle", &CpuTimes::idle},
                                         {"iowait", &CpuTimes::iowait},
                                         {"irq", &CpuTimes::irq},
                                         {"nice", &CpuTimes::nice},
                                         {"softirq", &CpuTimes::softirq},
                                         {"steal", &CpuTimes::steal},
                                         {"system", &CpuTimes::system},
                                         {"user", &CpuTimes::user}}};

constexpr std::array<Mode, 2> kGuestModes = {
    {{"nice", &CpuTimes::guest_nice}, {"user", &CpuTimes::guest}}};

constexpr std::array<uint64_t CpuTimes::*, 10> kAllFields = {
    &CpuTimes::user,   &CpuTimes::nice,      &CpuTimes::system,  &CpuTimes::idle,
    &CpuTimes::iowait, &CpuTimes::irq,       &CpuTimes::softirq, &CpuTimes::steal,
    &CpuTimes::guest,  &CpuTimes::guest_nice};

template <size_t N>
void AddModes(prometheus::MetricFamily& family, const std::vector<CpuTimes>& cpus,
              const std::array<Mode, N>& modes) {
  for (const CpuTimes& times : cpus) {
    const std::string cpu = std::to_string(times.cpu);
    for (const Mode& mode : modes) {
      AddSample(family, static_cast<double>(times.*(mode.field)) / procfs::kUserHz,
                {{"cpu", cpu}, {"mode", mode.name}});
    }
  }
}

}  // namespace

CpuCollector::CpuCollector(const Paths& paths)
    : stat_file_(procfs::JoinPath(paths.procfs, "stat"), procfs::ReadMode::kOneRecord) {}

void CpuCollector::UpdateStats(const std::vector<CpuTimes>& fresh) {
  if (stats_.size() != fresh.size()) {
    stats_ = fresh;
    return;
  }
  for (size_t i = 0; i < fresh.size(); ++i) {
    CpuTimes& old = stats_[i];
    if (old.cpu != fresh[i].cpu || old.idle >= fresh[i].idle + kJumpBackTicks) {
      old = fresh[i];
      continue;
    }
    for (auto field : kAllFields) {
      if (fresh[i].*field >= old.*field) old.*field = fresh[i].*field;
    }
  }
}

Status CpuCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = stat_file_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  const auto stat = procfs::ParseProcStat(*text);
  if (!stat.ok()) return Status::Fail(stat_file_.path() + ": " + stat.error());
  UpdateStats(stat->cpus);

  AddModes(
      AddFamily(out, "node_cpu_seconds_total", "Seconds the CPUs spent in each mode.", kCounter),
      stats_, kModes);
  AddModes(AddFamily(out, "node_cpu_guest_seconds_total",
                     "Seconds the CPUs spent in guests (VMs) for each mode.", kCounter),
           stats_, kGuestModes);
  return Status::Ok();
}

extern const CollectorSpec cpu_spec = {
    .name = "cpu",
    .enabled_by_default = true,
    .description = "CPU time per mode (/proc/stat)",
    .make = MakeWithPaths<CpuCollector>,
};

}  // namespace vitals::collectors
