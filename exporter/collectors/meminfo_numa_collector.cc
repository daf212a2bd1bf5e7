#include "collectors/meminfo_numa_collector.h"

#include <map>
#include <vector>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/file_reader.h"
#include "procfs/node_meminfo.h"

namespace vitals::collectors {
namespace {

// One node's meminfo and numastat values, or the first error, as node_exporter's
// getMemInfoNuma: nothing is published unless every node reads.
Status ReadNode(procfs::FileCache& files, const procfs::NumaNodeDir& node,
                std::vector<procfs::NumaMemValue>& gauges,
                std::vector<procfs::NumaMemValue>& counters) {
  const std::string meminfo_path = node.path + "/meminfo";
  const auto meminfo = files.Read(meminfo_path);
  if (!meminfo.ok()) return Status::Fail(meminfo.error());
  auto parsed = procfs::ParseNodeMeminfo(*meminfo);
  if (!parsed.ok()) return Status::Fail(meminfo_path + ": " + parsed.error());
  for (auto& value : *parsed) gauges.push_back(std::move(value));
  const std::string numastat_path = node.path + "/numastat";
  const auto numastat = files.Read(numastat_path);
  if (!numastat.ok()) return Status::Fail(numastat.error());
  auto stats = procfs::ParseNodeNumastat(*numastat, node.number);
  if (!stats.ok()) return Status::Fail(numastat_path + ": " + stats.error());
  for (auto& value : *stats) counters.push_back(std::move(value));
  return Status::Ok();
}

// A key that makes no valid metric name ("Foo-Bar") is skipped; node_exporter panics on it.
bool ValidSuffix(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == ':';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

MeminfoNumaCollector::MeminfoNumaCollector(const Paths& paths) : sysfs_(paths.sysfs) {}

Status MeminfoNumaCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  if (!procfs::IsDirectory(sysfs_)) return Status::Fail("no sysfs directory " + sysfs_);
  const auto nodes = procfs::ListNumaNodes(sysfs_);
  if (!nodes.ok()) return Status::Fail(nodes.error());
  std::vector<procfs::NumaMemValue> gauges;
  std::vector<procfs::NumaMemValue> counters;
  for (const auto& node : *nodes) {
    const Status status = ReadNode(files_, node, gauges, counters);
    if (!status.ok()) {
      files_.Sweep();
      return status;
    }
  }
  files_.Sweep();
  // One family per name; a name seen twice with the same node keeps its first value
  // (node_exporter's registry refuses the duplicate).
  std::map<std::string, prometheus::MetricFamily*> families;
  std::map<std::pair<std::string, std::string>, bool> seen;
  const auto add = [&](const procfs::NumaMemValue& v, prometheus::MetricType type) {
    if (!ValidSuffix(v.name)) return;
    if (!seen.emplace(std::make_pair(v.name, v.node), true).second) return;
    auto& family = families[v.name];
    if (family == nullptr) {
      family = &AddFamily(out, "node_memory_numa_" + v.name,
                          "Memory information field " + v.name + ".", type);
    }
    if (family->type != type) return;
    AddSample(*family, v.value, {{"node", v.node}});
  };
  for (const auto& v : gauges) add(v, kGauge);
  for (const auto& v : counters) add(v, kCounter);
  return Status::Ok();
}

extern const CollectorSpec meminfo_numa_spec = {
    .name = "meminfo_numa",
    .enabled_by_default = false,
    .description = "Memory statistics per NUMA node (/sys/devices/system/node/node*)",
    .make = MakeWithPaths<MeminfoNumaCollector>,
};

}  // namespace vitals::collectors
