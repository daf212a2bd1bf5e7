#include "collectors/pressure_collector.h"

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/pressure.h"

namespace vitals::collectors {
namespace {

// node_exporter's conversion, float64(total)/1000.0/1000.0: two divisions, so the
// doubles are the same to the last bit.
double Seconds(uint64_t total_us) { return static_cast<double>(total_us) / 1000.0 / 1000.0; }

}  // namespace

PressureCollector::PressureCollector(const Paths& paths)
    : procfs_(paths.procfs),
      cpu_file_(procfs::JoinPath(paths.procfs, "pressure/cpu"), procfs::ReadMode::kOneRecord),
      io_file_(procfs::JoinPath(paths.procfs, "pressure/io"), procfs::ReadMode::kOneRecord),
      memory_file_(procfs::JoinPath(paths.procfs, "pressure/memory"),
                   procfs::ReadMode::kOneRecord) {}

Status PressureCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  struct Resource {
    procfs::FileReader& file;
    const char* some_name;
    const char* some_help;
    const char* full_name;  // nullptr: the "full" line is not published (cpu).
    const char* full_help;
  };
  const Resource resources[] = {
      {cpu_file_, "node_pressure_cpu_waiting_seconds_total",
       "Total time in seconds that processes have waited for CPU time", nullptr, nullptr},
      {io_file_, "node_pressure_io_waiting_seconds_total",
       "Total time in seconds that processes have waited due to IO congestion",
       "node_pressure_io_stalled_seconds_total",
       "Total time in seconds no process could make progress due to IO congestion"},
      {memory_file_, "node_pressure_memory_waiting_seconds_total",
       "Total time in seconds that processes have waited for memory",
       "node_pressure_memory_stalled_seconds_total",
       "Total time in seconds no process could make progress due to memory congestion"},
  };
  for (const Resource& resource : resources) {
    const auto text = resource.file.Read();
    if (!text.ok()) {
      // No PSI in this kernel (< 4.20, or CONFIG_PSI off, or psi=0): node_exporter
      // stops there too, keeping what it already sent. The root itself missing is a
      // wrong --path.procfs, not a kernel without PSI.
      if (text.failure().Vanished() && procfs::IsDirectory(procfs_)) return Status::Ok();
      return Status::Fail(text.error());
    }
    const auto pressure = procfs::ParsePressure(*text);
    if (!pressure.ok()) return Status::Fail(resource.file.path() + ": " + pressure.error());
    if (!pressure->some) return Status::Fail(resource.file.path() + ": no 'some' line");
    if (resource.full_name != nullptr && !pressure->full) {
      return Status::Fail(resource.file.path() + ": no 'full' line");
    }
    AddSingle(out, resource.some_name, resource.some_help, kCounter,
              Seconds(pressure->some->total_us));
    if (resource.full_name != nullptr) {
      AddSingle(out, resource.full_name, resource.full_help, kCounter,
                Seconds(pressure->full->total_us));
    }
  }
  return Status::Ok();
}

extern const CollectorSpec pressure_spec = {
    .name = "pressure",
    .enabled_by_default = true,
    .description = "Pressure stall information (/proc/pressure)",
    .make = MakeWithPaths<PressureCollector>,
};

}  // namespace vitals::collectors
