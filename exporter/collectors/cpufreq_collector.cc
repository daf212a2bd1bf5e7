#include "collectors/cpufreq_collector.h"

#include <cstdint>
#include <optional>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/cpufreq.h"
#include "procfs/file_reader.h"

namespace vitals::collectors {

CpufreqCollector::CpufreqCollector(const Paths& paths)
    : sysfs_(paths.sysfs), cpu_dir_(procfs::JoinPath(paths.sysfs, "devices/system/cpu")) {}

Status CpufreqCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  // No cpufreq anywhere (a VM) is an empty success, as in node_exporter; a wrong
  // --path.sysfs is a failure.
  if (!procfs::IsDirectory(sysfs_)) return Status::Fail("no such directory: " + sysfs_);
  struct Frequency {
    const char* name;
    const char* help;
    std::optional<uint64_t> procfs::Cpufreq::*khz;
  };
  static constexpr Frequency kFrequencies[] = {
      {"node_cpu_frequency_hertz", "Current cpu thread frequency in hertz.",
       &procfs::Cpufreq::cpuinfo_cur_khz},
      {"node_cpu_frequency_min_hertz", "Minimum cpu thread frequency in hertz.",
       &procfs::Cpufreq::cpuinfo_min_khz},
      {"node_cpu_frequency_max_hertz", "Maximum cpu thread frequency in hertz.",
       &procfs::Cpufreq::cpuinfo_max_khz},
      {"node_cpu_scaling_frequency_hertz", "Current scaled CPU thread frequency in hertz.",
       &procfs::Cpufreq::scaling_cur_khz},
      {"node_cpu_scaling_frequency_min_hertz", "Minimum scaled CPU thread frequency in hertz.",
       &procfs::Cpufreq::scaling_min_khz},
      {"node_cpu_scaling_frequency_max_hertz", "Maximum scaled CPU thread frequency in hertz.",
       &procfs::Cpufreq::scaling_max_khz},
  };
  // node_exporter reads every CPU before it publishes: one failure, no sample.
  std::vector<procfs::Cpufreq> cpus;
  for (const auto& name : procfs::ListCpuDirs(cpu_dir_)) {
    auto cpufreq = procfs::ReadCpufreq(files_, cpu_dir_, name);
    if (!cpufreq.ok()) {
      files_.Sweep();
      return Status::Fail(cpufreq.error());
    }
    if (*cpufreq) cpus.push_back(std::move(**cpufreq));
  }
  files_.Sweep();
  for (const auto& frequency : kFrequencies) {
    auto& family = AddFamily(out, frequency.name, frequency.help, kGauge);
    for (const auto& cpu : cpus) {
      // kHz to Hz as node_exporter does it: float64(v) * 1000.0.
      if (const auto& khz = cpu.*frequency.khz) {
        AddSample(family, static_cast<double>(*khz) * 1000.0, {{"cpu", cpu.cpu}});
      }
    }
  }
  return Status::Ok();
}

extern const CollectorSpec cpufreq_spec = {
    .name = "cpufreq",
    .enabled_by_default = true,
    .description = "CPU frequency scaling (/sys/devices/system/cpu/cpu*/cpufreq)",
    .make = MakeWithPaths<CpufreqCollector>,
};

}  // namespace vitals::collectors
