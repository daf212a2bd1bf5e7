#include "collectors/btrfs_collector.h"

#include <string>
#include <vector>

#include "collectors/metric_builder.h"
#include "collectors/registry.h"
#include "procfs/file_reader.h"
#include "procfs/fs_btrfs.h"

namespace vitals::collectors {
namespace {

// A family added at its first sample, so none is published empty.
class LazyFamily {
 public:
  LazyFamily(Families& out, const char* name, const char* help)
      : out_(out), name_(name), help_(help) {}
  void Add(double value, std::initializer_list<Label> labels) {
    if (family_ == nullptr) family_ = &AddFamily(out_, name_, help_, kGauge);
    AddSample(*family_, value, labels);
  }

 private:
  Families& out_;
  const char* name_;
  const char* help_;
  prometheus::MetricFamily* family_ = nullptr;
};

}  // namespace

BtrfsCollector::BtrfsCollector(const Paths& paths)
    : sysfs_(paths.sysfs), fs_btrfs_(procfs::JoinPath(paths.sysfs, "fs/btrfs")) {}

Status BtrfsCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  // A wrong --path.sysfs fails (node_exporter does not start).
  if (!procfs::IsDirectory(sysfs_)) return Status::Fail("no directory " + sysfs_);
  std::vector<procfs::BtrfsStats> filesystems;
  for (const std::string& name : procfs::ListBtrfsFilesystems(fs_btrfs_)) {
    auto stats = procfs::ReadBtrfs(fs_btrfs_ + "/" + name);
    if (!stats.ok()) return Status::Fail(fs_btrfs_ + "/" + name + ": " + stats.error());
    filesystems.push_back(std::move(*stats));
  }
  LazyFamily info(out, "node_btrfs_info", "Filesystem information");
  LazyFamily rsv(out, "node_btrfs_global_rsv_size_bytes", "Size of global reserve.");
  LazyFamily reserved(out, "node_btrfs_reserved_bytes", "Amount of space reserved for a data type");
  LazyFamily used(out, "node_btrfs_used_bytes", "Amount of used space by a layout/data type");
  LazyFamily size(out, "node_btrfs_size_bytes", "Amount of space allocated for a layout/data type");
  LazyFamily ratio(out, "node_btrfs_allocation_ratio",
                   "Data allocation ratio for a layout/data type");
  LazyFamily device_size(out, "node_btrfs_device_size_bytes",
                         "Size of a device that is part of the filesystem.");
  for (const procfs::BtrfsStats& fs : filesystems) {
    const std::string_view uuid = fs.uuid;
    info.Add(1, {{"uuid", uuid}, {"label", fs.label}});
    rsv.Add(static_cast<double>(fs.global_rsv_size), {{"uuid", uuid}});
    const std::pair<const char*, const procfs::BtrfsAllocation*> types[] = {
        {"data", &fs.data}, {"metadata", &fs.metadata}, {"system", &fs.system}};
    for (const auto& [type, allocation] : types) {
      reserved.Add(static_cast<double>(allocation->reserved_bytes),
                   {{"uuid", uuid}, {"block_group_type", type}});
      for (const auto& [mode, layout] : allocation->layouts) {
        const std::initializer_list<Label> labels = {
            {"uuid", uuid}, {"block_group_type", type}, {"mode", mode}};
        used.Add(static_cast<double>(layout.used_bytes), labels);
        size.Add(static_cast<double>(layout.total_bytes), labels);
        ratio.Add(layout.ratio, labels);
      }
    }
    for (const auto& [device, bytes] : fs.device_sizes) {
      device_size.Add(static_cast<double>(bytes), {{"uuid", uuid}, {"device", device}});
    }
  }
  return Status::Ok();
}

extern const CollectorSpec btrfs_spec = {
    .name = "btrfs",
    .enabled_by_default = true,
    .description = "btrfs filesystem allocation and devices (/sys/fs/btrfs)",
    .make = MakeWithPaths<BtrfsCollector>,
};

}  // namespace vitals::collectors
