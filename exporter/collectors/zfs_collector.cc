#include "collectors/zfs_collector.h"

#include <unistd.h>

#include <map>
#include <string>
#include <vector>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/file_reader.h"
#include "procfs/spl_kstat_zfs.h"

namespace vitals::collectors {
namespace {

struct Subsystem {
  const char* name;  // node_zfs_<name>_...
  const char* file;  // under spl/kstat/zfs
};
// node_exporter 1.5's linuxPathMap.
constexpr Subsystem kSubsystems[] = {{"zfs_abd", "abdstats"},
                                     {"zfs_arc", "arcstats"},
                                     {"zfs_dbuf", "dbufstats"},
                                     {"zfs_dmu_tx", "dmu_tx"},
                                     {"zfs_dnode", "dnodestats"},
                                     {"zfs_fm", "fm"},
                                     {"zfs_vdev_cache", "vdev_cache_stats"},
                                     {"zfs_vdev_mirror", "vdev_mirror_stats"},
                                     {"zfs_xuio", "xuio_stats"},
                                     {"zfs_zfetch", "zfetchstats"},
                                     {"zfs_zil", "zil"}};

// node_exporter 1.5's zfsPoolStatesName.
constexpr const char* kPoolStates[] = {"online",  "degraded", "faulted",
                                       "offline", "removed",  "unavail"};

// The row's metric name: '-' becomes '_' (fm's "erpt-dropped").
std::string MetricName(std::string_view subsystem, std::string_view row) {
  std::string name = "node_" + std::string(subsystem) + "_" + std::string(row);
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

// Families by name, so the pools' samples share one and a repeated row is kept once.
class FamilySet {
 public:
  explicit FamilySet(Families& out) : out_(out) {}
  prometheus::MetricFamily& Get(const std::string& name, const std::string& help,
                                prometheus::MetricType type) {
    auto [it, added] = index_.try_emplace(name, nullptr);
    if (added) it->second = &AddFamily(out_, name, help, type);
    return *it->second;
  }

 private:
  Families& out_;
  std::map<std::string, prometheus::MetricFamily*> index_;
};

// The pool directories having `file` (filepath.Glob("*/<file>")), sorted.
std::vector<std::string> PoolFiles(const std::vector<std::string>& entries, const std::string& root,
                                   std::string_view prefix, bool exact) {
  std::vector<std::string> paths;
  for (const std::string& pool : entries) {
    const std::string dir = root + "/" + pool;
    if (!procfs::IsDirectory(dir)) continue;
    if (exact) {
      const std::string path = dir + "/" + std::string(prefix);
      if (access(path.c_str(), F_OK) == 0) paths.push_back(path);
      continue;
    }
    const auto names = procfs::ListDirSorted(dir);
    if (!names.ok()) continue;
    for (const std::string& name : *names) {
      if (name.starts_with(prefix)) paths.push_back(dir + "/" + name);
    }
  }
  return paths;
}

// The pool's name: the directory holding the file.
std::string PoolOf(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  const size_t before = path.find_last_of('/', slash - 1);
  return path.substr(before + 1, slash - before - 1);
}

}  // namespace

ZfsCollector::ZfsCollector(const Paths& paths)
    : procfs_(paths.procfs), kstat_zfs_(procfs::JoinPath(paths.procfs, "spl/kstat/zfs")) {}

Status ZfsCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto entries = procfs::ListDirSorted(kstat_zfs_);
  if (!entries.ok()) {
    if (procfs::IsDirectory(procfs_)) return Status::Ok();  // No ZFS module.
    return Status::Fail(entries.error());
  }
  FamilySet families(out);
  const auto fail = [&](const std::string& path, const std::string& error) {
    files_.Sweep();
    return Status::Fail(path + ": " + error);
  };
  for (const Subsystem& subsystem : kSubsystems) {
    const std::string path = kstat_zfs_ + "/" + subsystem.file;
    const auto text = files_.Read(path);
    if (!text.ok()) continue;  // Not in this ZFS version.
    const auto rows = procfs::ParseKstatNamed(*text);
    if (!rows.ok()) return fail(path, rows.error());
    for (const auto& [row, value] : *rows) {
      auto& family =
          families.Get(MetricName(subsystem.name, row),
                       "kstat.zfs.misc." + std::string(subsystem.file) + "." + row, kUntyped);
      if (family.metric.empty()) AddSample(family, static_cast<double>(value));
    }
  }
  for (const std::string& path : PoolFiles(*entries, kstat_zfs_, "io", true)) {
    const auto text = files_.Read(path);
    if (!text.ok()) return fail(path, text.error());
    const auto values = procfs::ParseZpoolIo(*text);
    if (!values.ok()) return fail(path, values.error());
    const std::string pool = PoolOf(path);
    for (const auto& [field, value] : *values) {
      AddSample(
          families.Get(MetricName("zfs_zpool", field), "kstat.zfs.misc.io." + field, kUntyped),
          static_cast<double>(value), {{"zpool", pool}});
    }
  }
  for (const std::string& path : PoolFiles(*entries, kstat_zfs_, "objset-", false)) {
    const auto text = files_.Read(path);
    if (!text.ok()) return fail(path, text.error());
    const auto objsets = procfs::ParseZpoolObjset(*text);
    if (!objsets.ok()) return fail(path, objsets.error());
    const std::string pool = PoolOf(path);
    for (const procfs::ZpoolObjset& objset : *objsets) {
      for (const auto& [row, value] : objset.values) {
        AddSample(families.Get(MetricName("zfs_zpool_dataset", row), "kstat.zfs.misc.objset." + row,
                               kUntyped),
                  static_cast<double>(value),
                  {{"zpool", objset.named ? std::string_view(pool) : std::string_view()},
                   {"dataset", objset.dataset}});
      }
    }
  }
  for (const std::string& path : PoolFiles(*entries, kstat_zfs_, "state", true)) {
    const auto text = files_.Read(path);
    if (!text.ok()) return fail(path, text.error());
    const std::string state = procfs::ParseZpoolState(*text);
    const std::string pool = PoolOf(path);
    auto& family = families.Get("node_zfs_zpool_state", "kstat.zfs.misc.state", kGauge);
    for (const char* name : kPoolStates) {
      AddSample(family, state == name ? 1 : 0, {{"zpool", pool}, {"state", name}});
    }
  }
  files_.Sweep();
  return Status::Ok();
}

extern const CollectorSpec zfs_spec = {
    .name = "zfs",
    .enabled_by_default = true,
    .description = "OpenZFS ARC, ZIL, pool I/O, datasets and pool state (/proc/spl/kstat/zfs)",
    .make = MakeWithPaths<ZfsCollector>,
};

}  // namespace vitals::collectors
