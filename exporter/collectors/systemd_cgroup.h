// The systemd collector's per-unit resources (vitals_systemd_unit_*, with
// --collector.systemd.enable-cgroup-metrics): what each service's cgroup accounts,
// read from <sysfs>/fs/cgroup. node_exporter has none of these (node_exporter#1136).
//
// Each file is looked for in the cgroup v2 tree, then in a hybrid host's unified tree,
// then (where cgroup v1 has the same figure) in the v1 controller's tree. A file no tree
// has is not an error: the controller is off for that cgroup, or the kernel predates the
// file (memory.peak: 5.19; PSI: 4.20 with CONFIG_PSI).
#pragma once

#include <string>
#include <string_view>

#include "collectors/collector.h"

namespace vitals::collectors {

class UnitCgroupFamilies {
 public:
  // Starts every family in `out` (an empty family is not exposed).
  UnitCgroupFamilies(std::string cgroup_root, Families& out);

  // Adds the samples of the unit `unit` whose cgroup is `group` ("/system.slice/x.service",
  // already checked to stay inside the tree). Reads every file even after a failure;
  // returns the first failure (an unreadable file, or text that does not parse).
  Status Add(const std::string& unit, std::string_view group);

 private:
  struct Text;
  Text Read(std::string_view group, const char* file, const char* v1_controller = nullptr,
            const char* v1_file = nullptr) const;
  void AddCpu(const std::string& unit, std::string_view group, Status& status);
  void AddIo(const std::string& unit, std::string_view group, Status& status);
  void AddPressure(const std::string& unit, std::string_view group, Status& status);
  // One unsigned integer per file: memory.current, memory.peak, pids.current.
  void AddInteger(prometheus::MetricFamily& family, const std::string& unit, const Text& text,
                  Status& status);

  std::string root_;
  prometheus::MetricFamily& cpu_;
  prometheus::MetricFamily& memory_;
  prometheus::MetricFamily& memory_peak_;
  prometheus::MetricFamily& tasks_;
  prometheus::MetricFamily& read_bytes_;
  prometheus::MetricFamily& written_bytes_;
  prometheus::MetricFamily& reads_;
  prometheus::MetricFamily& writes_;
  prometheus::MetricFamily& cpu_waiting_;
  prometheus::MetricFamily& memory_waiting_;
  prometheus::MetricFamily& memory_stalled_;
  prometheus::MetricFamily& io_waiting_;
  prometheus::MetricFamily& io_stalled_;
};

}  // namespace vitals::collectors
