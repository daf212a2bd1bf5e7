#include "collectors/registry.h"

#include <array>

#include "collectors/cpu_collector.h"
#include "collectors/loadavg_collector.h"
#include "collectors/meminfo_collector.h"
#include "collectors/stat_collector.h"
#include "collectors/time_collector.h"
#include "collectors/uname_collector.h"

namespace vitals::collectors {
namespace {

template <typename T>
std::unique_ptr<Collector> MakeWithPaths(const Paths& paths, const CollectorOptions& /*options*/) {
  return std::make_unique<T>(paths);
}

const std::array<CollectorSpec, 15> kCollectors = {{
    {"cpu", true, "CPU time per mode (/proc/stat)", MakeWithPaths<CpuCollector>},
    {"diskstats", true, "Block device I/O (/proc/diskstats)",
     [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
       return std::make_unique<DiskstatsCollector>(p, o.diskstats);
     }},
    {"filesystem", true, "Filesystem space and inodes (mountinfo + statfs)",
     [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
       return std::make_unique<FilesystemCollector>(p, o.filesystem);
     }},
    {"gpu", true,
     "NVIDIA GPUs through NVML, loaded at run time (publishes nothing where NVML is absent)",
     [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
       return std::make_unique<GpuCollector>(p, o.gpu, o.processes);
     }},
    {"loadavg", true, "Load average (/proc/loadavg)", MakeWithPaths<LoadavgCollector>},
    {"meminfo", true, "Memory statistics (/proc/meminfo)", MakeWithPaths<MeminfoCollector>},
    {"netclass", true, "Interface state, MTU and speed (/sys/class/net)",
     [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
       return std::make_unique<NetclassCollector>(p, o.netclass);
     }},
    {"netdev", true, "Interface traffic counters (/proc/net/dev)",
     [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
       return std::make_unique<NetdevCollector>(p, o.netdev);
     }},
    {"ports", false,
     "Listening TCP and bound UDP ports from the ports: config section (on when it lists any)",
     [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
       return std::make_unique<PortsCollector>(p, o.ports);
     }},
    {"probes", false,
     "HTTP and TCP probes from the probes: config section, run at scrape time (on when it "
     "lists targets)",
     [](const Paths&, const CollectorOptions& o) -> std::unique_ptr<Collector> {
       return std::make_unique<ProbesCollector>(o.probes);
     }},
    {"processes", false,
     "Process groups from the processes: config section (on when the section is present)",
     [](const Paths& p, const CollectorOptions& o) -> std::unique_ptr<Collector> {
       return std::make_unique<ProcessesCollector>(p, o.processes);
     }},
    {"stat", true, "Boot time, context switches, forks, interrupts (/proc/stat)",
     MakeWithPaths<StatCollector>},
    {"thresholds", false,
     "Alert thresholds from the thresholds: config section, as vitals_threshold gauges (on "
     "when the section sets any)",
     [](const Paths&, const CollectorOptions& o) -> std::unique_ptr<Collector> {
       return std::make_unique<ThresholdsCollector>(o.thresholds);
     }},
    {"time", true, "System time, time zone and clocksource", MakeWithPaths<TimeCollector>},
    {"uname", true, "Kernel and host identity (uname(2))",
     [](const Paths&, const CollectorOptions&) -> std::unique_ptr<Collector> {
       return std::make_unique<UnameCollector>();
     }},
}};

}  // namespace

CollectorOptions CollectorOptions::Defaults() {
  CollectorOptions options;
  options.filesystem.mount_points = *DeviceFilter::Make("", kDefaultMountPointsExclude);
  options.filesystem.fs_types = *DeviceFilter::Make("", kDefaultFsTypesExclude);
  options.diskstats.devices = *DeviceFilter::Make("", kDefaultDiskDeviceExclude);
  return options;
}

std::span<const CollectorSpec> AllCollectors() { return kCollectors; }

const CollectorSpec* FindCollector(std::string_view name) {
  for (const auto& spec : kCollectors) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace vitals::collectors
