#include "collectors/lnstat_collector.h"

#include <fcntl.h>

#include <cerrno>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/file_reader.h"
#include "procfs/net_stat_cache.h"

namespace vitals::collectors {
namespace {

// What prometheus.NewDesc accepts as a metric name; node_exporter panics on others.
bool ValidMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!letter && (i == 0 || c < '0' || c > '9')) return false;
  }
  return true;
}

}  // namespace

LnstatCollector::LnstatCollector(const Paths& paths)
    : procfs_(paths.procfs), stat_dir_(procfs::JoinPath(paths.procfs, "net/stat")) {}

Status LnstatCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto names = procfs::ListDirSorted(stat_dir_);
  if (!names.ok()) {
    if ((names.failure().Vanished() || names.sys_errno() == ENOTDIR) &&
        procfs::IsDirectory(procfs_)) {
      return Status::Ok();
    }
    return Status::Fail(names.error());
  }
  // metric name -> (subsystem, cpu, value), over every file.
  std::map<std::string, std::vector<std::pair<std::pair<std::string, size_t>, uint64_t>>> metrics;
  std::string buffer;
  for (const std::string& name : *names) {
    const std::string path = stat_dir_ + "/" + name;
    if (procfs::IsDirectory(path)) continue;  // Go opens it; reading it fails: no lines.
    const auto text =
        procfs::ReadFileAt(AT_FDCWD, path.c_str(), buffer, procfs::ReadMode::kUntilEof);
    if (!text.ok()) return Status::Fail(text.error());
    const auto counters = procfs::ParseNetStatCache(*text);
    if (!counters.ok()) return Status::Fail(path + ": " + counters.error());
    for (const procfs::NetStatCounter& counter : *counters) {
      const std::string metric = "node_lnstat_" + counter.name + "_total";
      if (!ValidMetricName(metric)) continue;
      auto& samples = metrics[metric];
      for (size_t cpu = 0; cpu < counter.values.size(); ++cpu) {
        samples.push_back({{name, cpu}, counter.values[cpu]});
      }
    }
  }
  for (const auto& [metric, samples] : metrics) {
    auto& family = AddFamily(out, metric, "linux network cache stats", kCounter);
    for (const auto& [labels, value] : samples) {
      AddSample(family, static_cast<double>(value),
                {{"subsystem", labels.first}, {"cpu", std::to_string(labels.second)}});
    }
  }
  return Status::Ok();
}

extern const CollectorSpec lnstat_spec = {
    .name = "lnstat",
    .enabled_by_default = false,
    .description = "Network cache statistics per CPU (/proc/net/stat/*)",
    .make = MakeWithPaths<LnstatCollector>,
};

}  // namespace vitals::collectors
