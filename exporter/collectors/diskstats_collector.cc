#include "collectors/diskstats_collector.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <array>
#include <set>

#include "collectors/metric_builder.h"

namespace vitals::collectors {
namespace {

constexpr double kSectorBytes = 512;
constexpr double kMillis = 0.001;

struct DiskMetric {
  const char* name;
  const char* help;
  prometheus::MetricType type;
  double scale;
};

// One entry per /proc/diskstats counter, in kernel order.
constexpr std::array<DiskMetric, 17> kDiskMetrics = {{
    {"node_disk_reads_completed_total", "The total number of reads completed successfully.",
     kCounter, 1},
    {"node_disk_reads_merged_total", "The total number of reads merged.", kCounter, 1},
    {"node_disk_read_bytes_total", "The total number of bytes read successfully.", kCounter,
     kSectorBytes},
    {"node_disk_read_time_seconds_total", "The total number of seconds spent by all reads.",
     kCounter, kMillis},
    {"node_disk_writes_completed_total", "The total number of writes completed successfully.",
     kCounter, 1},
    {"node_disk_writes_merged_total", "The number of writes merged.", kCounter, 1},
    {"node_disk_written_bytes_total", "The total number of bytes written successfully.", kCounter,
     kSectorBytes},
    {"node_disk_write_time_seconds_total",
     "This is the total number of seconds spent by all writes.", kCounter, kMillis},
    {"node_disk_io_now", "The number of I/Os currently in progress.", kGauge, 1},
    {"node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", kCounter, kMillis},
    {"node_disk_io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os.",
     kCounter, kMillis},
    {"node_disk_discards_completed_total", "The total number of discards completed successfully.",
     kCounter, 1},
    {"node_disk_discards_merged_total", "The total number of discards merged.", kCounter, 1},
    {"node_disk_discarded_sectors_total", "The total number of sectors discarded successfully.",
     kCounter, 1},
    {"node_disk_discard_time_seconds_total",
     "This is the total number of seconds spent by all discards.", kCounter, kMillis},
    {"node_disk_flush_requests_total", "The total number of flush requests completed successfully",
     kCounter, 1},
    {"node_disk_flush_requests_time_seconds_total",
     "This is the total number of seconds spent by all flush requests.", kCounter, kMillis},
}};

std::string UdevKey(const procfs::DiskStats& disk) {
  return "b" + std::to_string(disk.major) + ":" + std::to_string(disk.minor);
}

bool IsDirectory(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

DiskstatsCollector::DiskstatsCollector(const Paths& paths, const DiskstatsOptions& options)
    : paths_(paths),
      options_(options),
      diskstats_file_(procfs::JoinPath(paths.procfs, "diskstats")),
      udev_available_(IsDirectory(paths.udev_data)) {
  if (!udev_available_) {
    spdlog::info("diskstats: {} not found; node_disk_info gets empty udev labels", paths.udev_data);
  }
}

const procfs::UdevProperties& DiskstatsCollector::UdevFor(const procfs::DiskStats& disk) {
  const std::string key = UdevKey(disk);
  auto [it, inserted] = udev_cache_.try_emplace(key);
  if (inserted && udev_available_) {
    const std::string path = procfs::JoinPath(paths_.udev_data, key);
    if (auto text = procfs::ReadFileAt(AT_FDCWD, path.c_str(), buffer_); text.ok()) {
      it->second = procfs::ParseUdevData(*text);
    }
  }
  return it->second;
}

Status DiskstatsCollector::Collect(Families& out) {
  const auto text = diskstats_file_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  if (Status parsed = procfs::ParseDiskstats(*text, disks_); !parsed.ok()) {
    return Status::Fail(diskstats_file_.path() + ": " + parsed.message());
  }

  out.reserve(out.size() + kDiskMetrics.size() + 1);  // Keeps the references below valid.
  std::array<prometheus::MetricFamily*, kDiskMetrics.size()> families{};
  for (size_t i = 0; i < kDiskMetrics.size(); ++i) {
    families[i] = &AddFamily(out, kDiskMetrics[i].name, kDiskMetrics[i].help, kDiskMetrics[i].type);
  }
  auto& info = AddFamily(out, "node_disk_info", "Info of /sys/block/<block_device>.", kGauge);

  std::set<std::string> present;
  for (const auto& disk : disks_) {
    if (options_.devices.Ignored(disk.device)) continue;
    for (int i = 0; i < disk.field_count; ++i) {
      AddSample(*families[i], static_cast<double>(disk.fields[i]) * kDiskMetrics[i].scale,
                {{"device", disk.device}});
    }
    const auto& udev = UdevFor(disk);
    present.insert(UdevKey(disk));
    AddSample(info, 1,
              {{"device", disk.device},
               {"major", std::to_string(disk.major)},
               {"minor", std::to_string(disk.minor)},
               {"model", procfs::UdevProperty(udev, "ID_MODEL")},
               {"path", procfs::UdevProperty(udev, "ID_PATH")},
               {"revision", procfs::UdevProperty(udev, "ID_REVISION")},
               {"serial", procfs::UdevProperty(udev, "ID_SERIAL_SHORT")},
               {"wwn", procfs::UdevProperty(udev, "ID_WWN")}});
  }
  std::erase_if(udev_cache_, [&](const auto& entry) { return !present.contains(entry.first); });
  return Status::Ok();
}

}  // namespace vitals::collectors
