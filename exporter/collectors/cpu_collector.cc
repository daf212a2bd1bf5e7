#include "collectors/cpu_collector.h"

#include <array>
#include <set>
#include <string>
#include <utility>

#include "collectors/metric_builder.h"
#include "procfs/cpuinfo.h"

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

// One sample per value of `values` that `filter` matches; a repeated value once (the
// Go client drops the duplicate).
void AddFieldInfo(Families& out, const char* name, const char* help, const char* label,
                  const std::vector<std::string>& values, const Regex& filter) {
  if (filter.empty()) return;
  auto& family = AddFamily(out, name, help, kGauge);
  std::set<std::string_view> seen;
  for (const std::string& value : values) {
    if (filter.Search(value) && seen.insert(value).second) AddSample(family, 1, {{label, value}});
  }
}

}  // namespace

CpuCollector::CpuCollector(const Paths& paths, const CpuOptions& options)
    : options_(options),
      stat_file_(procfs::JoinPath(paths.procfs, "stat"), procfs::ReadMode::kOneRecord),
      cpuinfo_file_(procfs::JoinPath(paths.procfs, "cpuinfo"), procfs::ReadMode::kUntilEof) {
  if (!options_.flags_include.empty() || !options_.bugs_include.empty()) options_.info = true;
}

Status CpuCollector::CollectInfo(Families& out) {
  const auto text = cpuinfo_file_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  const auto cpus = procfs::ParseCpuInfo(*text);
  if (!cpus.ok()) return Status::Fail(cpuinfo_file_.path() + ": " + cpus.error());
  auto& info = AddFamily(out, "node_cpu_info", "CPU information from /proc/cpuinfo.", kGauge);
  std::set<std::vector<std::string>> seen;  // The Go client drops a repeated label set.
  for (const procfs::CpuInfo& cpu : *cpus) {
    std::vector<std::string> labels = {
        cpu.physical_id, cpu.core_id,    std::to_string(cpu.processor),
        cpu.vendor_id,   cpu.cpu_family, cpu.model,
        cpu.model_name,  cpu.microcode,  cpu.stepping,
        cpu.cache_size};
    if (!seen.insert(labels).second) continue;
    AddSample(info, 1,
              {{"package", labels[0]},
               {"core", labels[1]},
               {"cpu", labels[2]},
               {"vendor", labels[3]},
               {"family", labels[4]},
               {"model", labels[5]},
               {"model_name", labels[6]},
               {"microcode", labels[7]},
               {"stepping", labels[8]},
               {"cachesize", labels[9]}});
  }
  if (cpus->empty()) return Status::Ok();
  AddFieldInfo(out, "node_cpu_flag_info",
               "The `flags` field of CPU information from /proc/cpuinfo taken from the first "
               "core.",
               "flag", cpus->front().flags, options_.flags_include);
  AddFieldInfo(out, "node_cpu_bug_info",
               "The `bugs` field of CPU information from /proc/cpuinfo taken from the first "
               "core.",
               "bug", cpus->front().bugs, options_.bugs_include);
  return Status::Ok();
}

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
  if (options_.info) {
    if (Status status = CollectInfo(out); !status.ok()) return status;
  }
  const auto text = stat_file_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  const auto stat = procfs::ParseProcStat(*text);
  if (!stat.ok()) return Status::Fail(stat_file_.path() + ": " + stat.error());
  UpdateStats(stat->cpus);

  AddModes(
      AddFamily(out, "node_cpu_seconds_total", "Seconds the CPUs spent in each mode.", kCounter),
      stats_, kModes);
  if (options_.guest) {
    AddModes(AddFamily(out, "node_cpu_guest_seconds_total",
                       "Seconds the CPUs spent in guests (VMs) for each mode.", kCounter),
             stats_, kGuestModes);
  }
  return Status::Ok();
}

}  // namespace vitals::collectors
