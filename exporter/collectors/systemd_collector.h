// systemd: node_exporter 1.5's node_systemd_* families, read from systemd over D-Bus
// (procfs/systemd_bus.h) on a connection opened for each scrape, as node_exporter does;
// with enable_cgroup_metrics, each service's CPU, memory, tasks, I/O and PSI from its
// cgroup (collectors/systemd_cgroup.h; node_exporter has no such families).
// Off by default (upstream's default; Debian's build turns it on). Every D-Bus call is
// bounded by the scrape deadline (or `timeout` without one): a stuck bus fails the
// collector for that scrape instead of holding the scrape.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "collectors/collector.h"
#include "collectors/regex.h"
#include "procfs/systemd_bus.h"

namespace vitals::collectors {

// node_exporter 1.5's defaults for --collector.systemd.unit-include / -exclude.
inline constexpr const char* kDefaultSystemdUnitInclude = ".+";
inline constexpr const char* kDefaultSystemdUnitExclude =
    ".+\\.(automount|device|mount|scope|slice)";

struct SystemdOptions {
  // Compiled as ^(?:pattern)$, as node_exporter does; pattern() is the anchored form.
  Regex unit_include;
  Regex unit_exclude;
  bool enable_task_metrics = false;
  bool enable_restarts_metrics = false;
  bool enable_start_time_metrics = false;
  bool enable_cgroup_metrics = false;  // vitals only.
  // The bound on a scrape's D-Bus calls when the request gives no deadline.
  std::chrono::milliseconds timeout = std::chrono::seconds(10);

  bool operator==(const SystemdOptions&) const = default;
};

// The regex node_exporter builds from a unit-include/-exclude value.
Result<Regex> CompileUnitPattern(std::string_view pattern);

class SystemdCollector : public Collector {
 public:
  SystemdCollector(const Paths& paths, const SystemdOptions& options)
      : cgroup_root_(paths.sysfs + "/fs/cgroup"), options_(options) {}
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  // Indices into the property requests of one selected unit (-1: not asked).
  struct UnitQuery {
    const procfs::SystemdUnit* unit = nullptr;
    int type = -1, restarts = -1, tasks_current = -1, tasks_max = -1, start_time = -1;
    int last_trigger = -1, accepted = -1, connections = -1, refused = -1;
    int control_group = -1;
  };
  // Fills requests_ and queries_ for the units that pass the filters.
  void PlanQueries(const std::vector<procfs::SystemdUnit>& units, bool timers);
  int Ask(const procfs::SystemdUnit& unit, const char* interface, const char* property, char type);
  void AddUnitFamilies(Families& out) const;
  void AddServiceFamilies(Families& out) const;
  void AddSocketAndTimerFamilies(Families& out) const;
  // vitals_systemd_unit_* from each service's cgroup; fails on a file that cannot be
  // read or does not parse (after publishing the others).
  Status AddCgroupFamilies(Families& out) const;
  // The reply at `index` when it holds a value; logs a failed one at debug.
  const procfs::PropertyReply* Reply(int index) const;

  std::string cgroup_root_;  // <sysfs>/fs/cgroup
  SystemdOptions options_;
  std::vector<procfs::PropertyRequest> requests_;
  std::vector<procfs::PropertyReply> replies_;
  std::vector<UnitQuery> queries_;
};

}  // namespace vitals::collectors
