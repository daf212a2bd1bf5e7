#include "collectors/filesystem_collector.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <tuple>

#include "collectors/metric_builder.h"

namespace vitals::collectors {

FilesystemCollector::FilesystemCollector(const Paths& paths, const FilesystemOptions& options,
                                         procfs::StatfsPool::StatFn stat_fn)
    : paths_(paths),
      options_(options),
      init_mountinfo_(procfs::JoinPath(paths.procfs, "1/mountinfo")),
      self_mountinfo_(procfs::JoinPath(paths.procfs, "self/mountinfo")),
      pool_(options.stat_workers, std::move(stat_fn)) {}

std::string FilesystemCollector::StripRootfs(const std::string& mount_point) const {
  const std::string root = procfs::JoinPath(paths_.rootfs, "");
  if (root == "/" || mount_point.compare(0, root.size(), root) != 0) return mount_point;
  if (mount_point.size() == root.size()) return "/";
  if (mount_point[root.size()] != '/') return mount_point;
  return mount_point.substr(root.size());
}

Status FilesystemCollector::ReadMounts() {
  // PID 1's view is the host's when we run in a container with the host's /proc.
  auto text = init_mountinfo_.Read();
  procfs::FileReader* source = &init_mountinfo_;
  if (!text.ok()) {
    text = self_mountinfo_.Read();
    source = &self_mountinfo_;
  }
  if (!text.ok()) return Status::Fail(text.error());
  if (Status parsed = procfs::ParseMountinfo(*text, parsed_); !parsed.ok()) {
    return Status::Fail(source->path() + ": " + parsed.message());
  }

  mounts_.clear();
  stat_paths_.clear();
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (const auto& info : parsed_) {
    Mount mount{info.source, info.fs_type, StripRootfs(info.mount_point), info.read_only};
    if (options_.mount_points.Ignored(mount.mount_point) ||
        options_.fs_types.Ignored(mount.fs_type)) {
      continue;
    }
    // Over-mounts repeat a label set; the first one wins, as in Prometheus's registry.
    if (!seen.emplace(mount.device, mount.mount_point, mount.fs_type).second) continue;
    stat_paths_.push_back(procfs::JoinPath(paths_.rootfs, mount.mount_point));
    mounts_.push_back(std::move(mount));
  }
  return Status::Ok();
}

void FilesystemCollector::LogFailures(
    const std::vector<procfs::StatfsPool::Outcome>& outcomes) const {
  using State = procfs::StatfsPool::Outcome::State;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].state == State::kTimeout) {
      spdlog::warn(
          "filesystem: statfs of {} did not answer within {} ms; reported with "
          "device_error=1 until it answers again",
          stat_paths_[i], options_.mount_timeout.count());
    } else if (outcomes[i].state == State::kError) {
      spdlog::debug("filesystem: statfs of {} failed: {}", stat_paths_[i],
                    std::strerror(outcomes[i].error));
    }
  }
}

Status FilesystemCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  if (Status status = ReadMounts(); !status.ok()) return status;
  const auto outcomes = pool_.StatAll(stat_paths_, options_.mount_timeout);
  LogFailures(outcomes);

  auto& size = AddFamily(out, "node_filesystem_size_bytes", "Filesystem size in bytes.", kGauge);
  auto& free =
      AddFamily(out, "node_filesystem_free_bytes", "Filesystem free space in bytes.", kGauge);
  auto& avail = AddFamily(out, "node_filesystem_avail_bytes",
                          "Filesystem space available to non-root users in bytes.", kGauge);
  auto& files = AddFamily(out, "node_filesystem_files", "Filesystem total file nodes.", kGauge);
  auto& files_free =
      AddFamily(out, "node_filesystem_files_free", "Filesystem total free file nodes.", kGauge);
  auto& readonly =
      AddFamily(out, "node_filesystem_readonly", "Filesystem read-only status.", kGauge);
  auto& device_error =
      AddFamily(out, "node_filesystem_device_error",
                "Whether an error occurred while getting statistics for the given device.", kGauge);

  for (size_t i = 0; i < mounts_.size(); ++i) {
    const Mount& m = mounts_[i];
    const std::initializer_list<Label> labels = {
        {"device", m.device}, {"fstype", m.fs_type}, {"mountpoint", m.mount_point}};
    const auto& outcome = outcomes[i];
    const bool ok = outcome.state == procfs::StatfsPool::Outcome::State::kOk;
    AddSample(device_error, ok ? 0 : 1, labels);
    if (!ok) continue;  // node_exporter 1.5 publishes only device_error for such a mount.
    AddSample(readonly, m.read_only ? 1 : 0, labels);
    const auto& st = outcome.stats;
    const double block = static_cast<double>(st.f_bsize);
    AddSample(size, static_cast<double>(st.f_blocks) * block, labels);
    AddSample(free, static_cast<double>(st.f_bfree) * block, labels);
    AddSample(avail, static_cast<double>(st.f_bavail) * block, labels);
    AddSample(files, static_cast<double>(st.f_files), labels);
    AddSample(files_free, static_cast<double>(st.f_ffree), labels);
  }
  return Status::Ok();
}

}  // namespace vitals::collectors
