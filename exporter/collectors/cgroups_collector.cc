#include "collectors/cgroups_collector.h"

#include <set>
#include <string>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/proc_cgroups.h"

namespace vitals::collectors {

CgroupsCollector::CgroupsCollector(const Paths& paths)
    : cgroups_file_(procfs::JoinPath(paths.procfs, "cgroups")) {}

Status CgroupsCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  constexpr size_t kReadFileNoStatLimit = 1024 * 1024;
  const auto text = cgroups_file_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  const auto summaries = procfs::ParseProcCgroups(text->substr(0, kReadFileNoStatLimit));
  if (!summaries.ok()) return Status::Fail(cgroups_file_.path() + ": " + summaries.error());
  // node_exporter gives both families the same help text.
  auto& cgroups =
      AddFamily(out, "node_cgroups_cgroups", "Current cgroup number of the subsystem.", kGauge);
  auto& enabled =
      AddFamily(out, "node_cgroups_enabled", "Current cgroup number of the subsystem.", kGauge);
  std::set<std::string> seen;  // The Go client keeps the first sample of a label set.
  for (const procfs::CgroupSummary& summary : *summaries) {
    if (!seen.insert(summary.subsys_name).second) continue;
    AddSample(cgroups, static_cast<double>(summary.cgroups),
              {{"subsys_name", summary.subsys_name}});
    AddSample(enabled, static_cast<double>(summary.enabled),
              {{"subsys_name", summary.subsys_name}});
  }
  return Status::Ok();
}

extern const CollectorSpec cgroups_spec = {
    .name = "cgroups",
    .enabled_by_default = false,
    .description = "cgroup v1 controllers: cgroups and enabled (/proc/cgroups)",
    .make = MakeWithPaths<CgroupsCollector>,
};

}  // namespace vitals::collectors
