#include "collectors/diskstats_collector.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <array>
#include <set>

#include "base/text.h"
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

struct UdevFamilies {
  prometheus::MetricFamily& filesystem;
  prometheus::MetricFamily& device_mapper;
  prometheus::MetricFamily& ata_rotation_rate;
  prometheus::MetricFamily& ata_write_cache;
  prometheus::MetricFamily& ata_write_cache_enabled;
};

// The families node_exporter derives from udev properties, when the properties exist.
void AddUdevInfo(std::string_view device, const procfs::UdevProperties& udev,
                 UdevFamilies& families) {
  using procfs::UdevProperty;
  if (const auto fs_type = UdevProperty(udev, "ID_FS_TYPE"); !fs_type.empty()) {
    AddSample(families.filesystem, 1,
              {{"device", device},
               {"type", fs_type},
               {"usage", UdevProperty(udev, "ID_FS_USAGE")},
               {"uuid", UdevProperty(udev, "ID_FS_UUID")},
               {"version", UdevProperty(udev, "ID_FS_VERSION")}});
  }
  if (const auto dm_name = UdevProperty(udev, "DM_NAME"); !dm_name.empty()) {
    AddSample(families.device_mapper, 1,
              {{"device", device},
               {"lv_layer", UdevProperty(udev, "DM_LV_LAYER")},
               {"lv_name", UdevProperty(udev, "DM_LV_NAME")},
               {"name", dm_name},
               {"uuid", UdevProperty(udev, "DM_UUID")},
               {"vg_name", UdevProperty(udev, "DM_VG_NAME")}});
  }
  if (UdevProperty(udev, "ID_ATA").empty()) return;
  const std::pair<const char*, prometheus::MetricFamily*> ata[] = {
      {"ID_ATA_ROTATION_RATE_RPM", &families.ata_rotation_rate},
      {"ID_ATA_WRITE_CACHE", &families.ata_write_cache},
      {"ID_ATA_WRITE_CACHE_ENABLED", &families.ata_write_cache_enabled}};
  for (const auto& [property, family] : ata) {
    if (auto value = ParseDouble(UdevProperty(udev, property))) {
      AddSample(*family, *value, {{"device", device}});
    }
  }
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
    if (auto text =
            procfs::ReadFileAt(AT_FDCWD, path.c_str(), buffer_, procfs::ReadMode::kOneRecord);
        text.ok()) {
      it->second = procfs::ParseUdevData(*text);
    }
  }
  return it->second;
}

Status DiskstatsCollector::Collect(const ScrapeContext& /*context*/, Families& out) {
  const auto text = diskstats_file_.Read();
  if (!text.ok()) return Status::Fail(text.error());
  if (Status parsed = procfs::ParseDiskstats(*text, disks_); !parsed.ok()) {
    return Status::Fail(diskstats_file_.path() + ": " + parsed.message());
  }

  std::array<prometheus::MetricFamily*, kDiskMetrics.size()> families{};
  for (size_t i = 0; i < kDiskMetrics.size(); ++i) {
    families[i] = &AddFamily(out, kDiskMetrics[i].name, kDiskMetrics[i].help, kDiskMetrics[i].type);
  }
  auto& info = AddFamily(out, "node_disk_info", "Info of /sys/block/<block_device>.", kGauge);
  UdevFamilies udev_families{
      AddFamily(out, "node_disk_filesystem_info", "Info about disk filesystem.", kGauge),
      AddFamily(out, "node_disk_device_mapper_info", "Info about disk device mapper.", kGauge),
      AddFamily(out, "node_disk_ata_rotation_rate_rpm",
                "ATA disk rotation rate in RPMs (0 for SSDs).", kGauge),
      AddFamily(out, "node_disk_ata_write_cache", "ATA disk has a write cache.", kGauge),
      AddFamily(out, "node_disk_ata_write_cache_enabled", "ATA disk has its write cache enabled.",
                kGauge)};

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
    AddUdevInfo(disk.device, udev, udev_families);
  }
  std::erase_if(udev_cache_, [&](const auto& entry) { return !present.contains(entry.first); });
  return Status::Ok();
}

}  // namespace vitals::collectors
