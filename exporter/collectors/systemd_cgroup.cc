#include "collectors/systemd_cgroup.h"

#include <optional>
#include <utility>

#include "collectors/metric_builder.h"
#include "procfs/cgroup.h"
#include "procfs/file_reader.h"
#include "procfs/pressure.h"
#include "procfs/sysctl.h"

namespace vitals::collectors {
namespace {

double Seconds(uint64_t microseconds) { return static_cast<double>(microseconds) / 1e6; }

void KeepFirst(Status& status, Status failure) {
  if (status.ok()) status = std::move(failure);
}

}  // namespace

// A file's text, nullopt when no tree has it; `failure` when one could not be read.
struct UnitCgroupFamilies::Text {
  std::optional<std::string> text;
  std::string path;
  Status failure = Status::Ok();
};

UnitCgroupFamilies::UnitCgroupFamilies(std::string cgroup_root, Families& out)
    : root_(std::move(cgroup_root)),
      cpu_(AddFamily(out, "vitals_systemd_unit_cpu_seconds_total",
                     "CPU time of the unit's cgroup in seconds, by mode (cpu.stat).", kCounter)),
      memory_(AddFamily(out, "vitals_systemd_unit_memory_bytes",
                        "Memory charged to the unit's cgroup in bytes (memory.current).", kGauge)),
      memory_peak_(AddFamily(out, "vitals_systemd_unit_memory_peak_bytes",
                             "Largest memory charged to the unit's cgroup since it was created, "
                             "in bytes (memory.peak).",
                             kGauge)),
      tasks_(AddFamily(out, "vitals_systemd_unit_tasks",
                       "Tasks (threads) in the unit's cgroup (pids.current).", kGauge)),
      read_bytes_(AddFamily(out, "vitals_systemd_unit_io_read_bytes_total",
                            "Bytes the unit's cgroup read from block devices (io.stat rbytes).",
                            kCounter)),
      written_bytes_(AddFamily(out, "vitals_systemd_unit_io_written_bytes_total",
                               "Bytes the unit's cgroup wrote to block devices (io.stat wbytes).",
                               kCounter)),
      reads_(AddFamily(out, "vitals_systemd_unit_io_reads_total",
                       "Read operations of the unit's cgroup on block devices (io.stat rios).",
                       kCounter)),
      writes_(AddFamily(out, "vitals_systemd_unit_io_writes_total",
                        "Write operations of the unit's cgroup on block devices (io.stat wios).",
                        kCounter)),
      cpu_waiting_(AddFamily(out, "vitals_systemd_unit_pressure_cpu_waiting_seconds_total",
                             "Total time in seconds that the unit's processes have waited for "
                             "CPU time (cpu.pressure some).",
                             kCounter)),
      memory_waiting_(AddFamily(out, "vitals_systemd_unit_pressure_memory_waiting_seconds_total",
                                "Total time in seconds that the unit's processes have waited for "
                                "memory (memory.pressure some).",
                                kCounter)),
      memory_stalled_(AddFamily(out, "vitals_systemd_unit_pressure_memory_stalled_seconds_total",
                                "Total time in seconds no process of the unit could make "
                                "progress due to memory congestion (memory.pressure full).",
                                kCounter)),
      io_waiting_(AddFamily(out, "vitals_systemd_unit_pressure_io_waiting_seconds_total",
                            "Total time in seconds that the unit's processes have waited due to "
                            "IO congestion (io.pressure some).",
                            kCounter)),
      io_stalled_(AddFamily(out, "vitals_systemd_unit_pressure_io_stalled_seconds_total",
                            "Total time in seconds no process of the unit could make progress "
                            "due to IO congestion (io.pressure full).",
                            kCounter)) {}

UnitCgroupFamilies::Text UnitCgroupFamilies::Read(std::string_view group, const char* file,
                                                  const char* v1_controller,
                                                  const char* v1_file) const {
  const std::string relative = std::string(group) + "/";
  std::string paths[3] = {root_ + relative + file, root_ + "/unified" + relative + file, ""};
  if (v1_controller != nullptr) {
    paths[2] = root_ + "/" + v1_controller + relative + v1_file;
  }
  for (const std::string& path : paths) {
    if (path.empty()) break;
    auto text = procfs::ReadSmallFile(path);
    if (text.ok()) return {std::move(*text), path};
    if (!text.failure().Vanished()) return {std::nullopt, path, Status::Fail(text.error())};
  }
  return {};
}

void UnitCgroupFamilies::AddInteger(prometheus::MetricFamily& family, const std::string& unit,
                                    const Text& text, Status& status) {
  if (!text.failure.ok()) return KeepFirst(status, text.failure);
  if (!text.text) return;
  const auto value = procfs::ParseSysctlUint(*text.text);
  if (!value.ok()) return KeepFirst(status, Status::Fail(text.path + ": " + value.error()));
  AddSample(family, static_cast<double>(*value), {{"name", unit}});
}

void UnitCgroupFamilies::AddCpu(const std::string& unit, std::string_view group, Status& status) {
  const Text text = Read(group, "cpu.stat");
  if (!text.failure.ok()) return KeepFirst(status, text.failure);
  if (!text.text) return;
  const auto stat = procfs::ParseCgroupCpuStat(*text.text);
  if (!stat.ok()) return KeepFirst(status, Status::Fail(text.path + ": " + stat.error()));
  AddSample(cpu_, Seconds(stat->user_usec), {{"name", unit}, {"mode", "user"}});
  AddSample(cpu_, Seconds(stat->system_usec), {{"name", unit}, {"mode", "system"}});
}

void UnitCgroupFamilies::AddIo(const std::string& unit, std::string_view group, Status& status) {
  // cgroup v1's blkio files count differently (throttle vs. CFQ), so v2 only.
  const Text text = Read(group, "io.stat");
  if (!text.failure.ok()) return KeepFirst(status, text.failure);
  if (!text.text) return;
  const auto stat = procfs::ParseCgroupIoStat(*text.text);
  if (!stat.ok()) return KeepFirst(status, Status::Fail(text.path + ": " + stat.error()));
  AddSample(read_bytes_, static_cast<double>(stat->read_bytes), {{"name", unit}});
  AddSample(written_bytes_, static_cast<double>(stat->written_bytes), {{"name", unit}});
  AddSample(reads_, static_cast<double>(stat->reads), {{"name", unit}});
  AddSample(writes_, static_cast<double>(stat->writes), {{"name", unit}});
}

void UnitCgroupFamilies::AddPressure(const std::string& unit, std::string_view group,
                                     Status& status) {
  struct Resource {
    const char* file;
    prometheus::MetricFamily& some;
    prometheus::MetricFamily* full;  // nullptr: not published (cpu, as the host's).
  };
  const Resource resources[] = {{"cpu.pressure", cpu_waiting_, nullptr},
                                {"memory.pressure", memory_waiting_, &memory_stalled_},
                                {"io.pressure", io_waiting_, &io_stalled_}};
  for (const Resource& resource : resources) {
    const Text text = Read(group, resource.file);
    if (!text.failure.ok()) {
      KeepFirst(status, text.failure);
      continue;
    }
    if (!text.text) continue;
    const auto pressure = procfs::ParsePressure(*text.text);
    if (!pressure.ok() || !pressure->some || (resource.full != nullptr && !pressure->full)) {
      KeepFirst(status,
                Status::Fail(text.path + ": " +
                             (pressure.ok() ? "no 'some' or 'full' line" : pressure.error())));
      continue;
    }
    AddSample(resource.some, Seconds(pressure->some->total_us), {{"name", unit}});
    if (resource.full != nullptr) {
      AddSample(*resource.full, Seconds(pressure->full->total_us), {{"name", unit}});
    }
  }
}

Status UnitCgroupFamilies::Add(const std::string& unit, std::string_view group) {
  Status status = Status::Ok();
  AddCpu(unit, group, status);
  AddInteger(memory_, unit, Read(group, "memory.current", "memory", "memory.usage_in_bytes"),
             status);
  AddInteger(memory_peak_, unit, Read(group, "memory.peak", "memory", "memory.max_usage_in_bytes"),
             status);
  AddInteger(tasks_, unit, Read(group, "pids.current", "pids", "pids.current"), status);
  AddIo(unit, group, status);
  AddPressure(unit, group, status);
  return status;
}

}  // namespace vitals::collectors
