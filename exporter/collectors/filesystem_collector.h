// filesystem: size, free, avail, files, files_free, readonly and device_error per
// mount, from /proc/1/mountinfo and statfs(2) under --path.rootfs.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "collectors/collector.h"
#include "collectors/device_filter.h"
#include "procfs/file_reader.h"
#include "procfs/mountinfo.h"
#include "procfs/statfs_pool.h"

namespace vitals::collectors {

// node_exporter 1.5's upstream defaults.
inline constexpr const char* kDefaultMountPointsExclude =
    "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)";
inline constexpr const char* kDefaultFsTypesExclude =
    "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|"
    "iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|"
    "sysfs|tracefs)$";

struct FilesystemOptions {
  DeviceFilter mount_points;
  DeviceFilter fs_types;
  std::chrono::milliseconds mount_timeout{5000};
  int stat_workers = 4;

  bool operator==(const FilesystemOptions&) const = default;
};

class FilesystemCollector : public Collector {
 public:
  FilesystemCollector(const Paths& paths, const FilesystemOptions& options,
                      procfs::StatfsPool::StatFn stat_fn = procfs::StatfsPool::RealStatfs);
  Status Collect(const ScrapeContext& context, Families& out) override;

 private:
  struct Mount {
    std::string device, fs_type, mount_point;
    bool read_only = false;
  };
  Status ReadMounts();
  std::string StripRootfs(const std::string& mount_point) const;
  void LogFailures(const std::vector<procfs::StatfsPool::Outcome>& outcomes) const;

  Paths paths_;
  FilesystemOptions options_;
  procfs::FileReader init_mountinfo_;
  procfs::FileReader self_mountinfo_;
  procfs::StatfsPool pool_;
  std::vector<procfs::MountInfo> parsed_;
  std::vector<Mount> mounts_;
  std::vector<std::string> stat_paths_;
};

}  // namespace vitals::collectors
