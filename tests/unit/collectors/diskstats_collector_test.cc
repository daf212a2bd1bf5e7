#include "collectors/diskstats_collector.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "collectors/registry.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::LabelMap;
using test::LabelValues;
using test::SampleValue;
using test::Value;

Families CollectFixture(const DiskstatsOptions& options, Paths paths = test::FixturePaths()) {
  DiskstatsCollector collector(paths, options);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  return families;
}

std::vector<std::string> Devices(const Families& families, const char* name) {
  const auto* family = test::FindFamily(families, name);
  return family == nullptr ? std::vector<std::string>{} : LabelValues(*family, "device");
}

TEST(DiskstatsCollectorTest, DefaultFilterDropsPartitionsAndLoops) {
  const Families families =
      CollectFixture(CollectorOptions::Defaults().Get<collectors::DiskstatsOptions>());
  // Fixture devices: loop0..7, vda, zram0, vda1, nvme0n1. node_exporter's default
  // exclude drops loop devices and partitions.
  EXPECT_EQ(Devices(families, "node_disk_reads_completed_total"),
            (std::vector<std::string>{"vda", "zram0", "nvme0n1"}));
  EXPECT_EQ(Devices(families, "node_disk_info"),
            (std::vector<std::string>{"vda", "zram0", "nvme0n1"}));
}

TEST(DiskstatsCollectorTest, FixtureValuesAndUnits) {
  const Families families =
      CollectFixture(CollectorOptions::Defaults().Get<collectors::DiskstatsOptions>());
  const LabelMap vda = {{"device", "vda"}};
  // vda's line: "254 0 vda 31401 6809 2584618 12698 9054 6459 1787264 10631 0 7220 23854
  //              4438 43 514968 444 1331 80".
  EXPECT_EQ(SampleValue(families, "node_disk_reads_completed_total", vda), 31401);
  EXPECT_EQ(SampleValue(families, "node_disk_reads_merged_total", vda), 6809);
  EXPECT_EQ(SampleValue(families, "node_disk_read_bytes_total", vda), 2584618.0 * 512);
  EXPECT_DOUBLE_EQ(Value(families, "node_disk_read_time_seconds_total", vda), 12.698);
  EXPECT_EQ(SampleValue(families, "node_disk_writes_completed_total", vda), 9054);
  EXPECT_EQ(SampleValue(families, "node_disk_written_bytes_total", vda), 1787264.0 * 512);
  EXPECT_DOUBLE_EQ(Value(families, "node_disk_write_time_seconds_total", vda), 10.631);
  EXPECT_EQ(SampleValue(families, "node_disk_io_now", vda), 0);
  EXPECT_DOUBLE_EQ(Value(families, "node_disk_io_time_seconds_total", vda), 7.22);
  EXPECT_DOUBLE_EQ(Value(families, "node_disk_io_time_weighted_seconds_total", vda), 23.854);
  EXPECT_EQ(SampleValue(families, "node_disk_discards_completed_total", vda), 4438);
  EXPECT_EQ(SampleValue(families, "node_disk_discarded_sectors_total", vda), 514968);
  EXPECT_DOUBLE_EQ(Value(families, "node_disk_discard_time_seconds_total", vda), 0.444);
  EXPECT_EQ(SampleValue(families, "node_disk_flush_requests_total", vda), 1331);
  EXPECT_DOUBLE_EQ(Value(families, "node_disk_flush_requests_time_seconds_total", vda), 0.08);

  EXPECT_EQ(test::FindFamily(families, "node_disk_io_now")->type, prometheus::MetricType::Gauge);
  EXPECT_EQ(test::FindFamily(families, "node_disk_read_bytes_total")->type,
            prometheus::MetricType::Counter);
}

TEST(DiskstatsCollectorTest, Nvme15FieldLineHasDiscardsButNoFlushes) {
  const Families families =
      CollectFixture(CollectorOptions::Defaults().Get<collectors::DiskstatsOptions>());
  const LabelMap nvme = {{"device", "nvme0n1"}};
  // "259 0 nvme0n1 45000 120 3600000 9000 22000 900 1800000 7000 0 12000 16000 50 0 4000 20".
  EXPECT_EQ(SampleValue(families, "node_disk_reads_completed_total", nvme), 45000);
  EXPECT_EQ(SampleValue(families, "node_disk_discards_completed_total", nvme), 50);
  EXPECT_EQ(SampleValue(families, "node_disk_discarded_sectors_total", nvme), 4000);
  EXPECT_DOUBLE_EQ(Value(families, "node_disk_discard_time_seconds_total", nvme), 0.02);
  EXPECT_EQ(SampleValue(families, "node_disk_flush_requests_total", nvme), std::nullopt);
  EXPECT_EQ(SampleValue(families, "node_disk_flush_requests_time_seconds_total", nvme),
            std::nullopt);
}

TEST(DiskstatsCollectorTest, InfoCarriesUdevLabels) {
  const Families families =
      CollectFixture(CollectorOptions::Defaults().Get<collectors::DiskstatsOptions>());
  // tests/fixtures/udev/data/b254:0 belongs to vda (254:0).
  EXPECT_EQ(SampleValue(families, "node_disk_info",
                        {{"device", "vda"},
                         {"major", "254"},
                         {"minor", "0"},
                         {"model", "QEMU_HARDDISK"},
                         {"path", "pci-0000:00:04.0"},
                         {"revision", "2.5+"},
                         {"serial", "0001"},  // ID_SERIAL_SHORT, not ID_SERIAL.
                         {"wwn", "0x5000c500a1b2c3d4"}}),
            1);
  // nvme0n1 (259:0): b259:0 has ID_MODEL and ID_SERIAL but no ID_SERIAL_SHORT, path,
  // revision or wwn, so those labels exist and are empty.
  EXPECT_EQ(SampleValue(families, "node_disk_info",
                        {{"device", "nvme0n1"},
                         {"major", "259"},
                         {"minor", "0"},
                         {"model", "VITALS_SYNTHETIC"},
                         {"path", ""},
                         {"revision", ""},
                         {"serial", ""},
                         {"wwn", ""}}),
            1);
}

TEST(DiskstatsCollectorTest, SerialComesOnlyFromIdSerialShort) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "proc" / "diskstats", "8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n");
  test::WriteFile(dir.path() / "udev" / "b8:0", "E:ID_SERIAL=long_serial\nE:ID_MODEL=M\n");
  Paths paths;
  paths.procfs = dir.Sub("proc");
  paths.udev_data = dir.Sub("udev");
  const Families families = CollectFixture({}, paths);
  EXPECT_EQ(SampleValue(families, "node_disk_info",
                        {{"device", "sda"},
                         {"major", "8"},
                         {"minor", "0"},
                         {"model", "M"},
                         {"path", ""},
                         {"revision", ""},
                         {"serial", ""},  // node_exporter 1.5 ignores ID_SERIAL.
                         {"wwn", ""}}),
            1);
  // An 11-counter line has no discard or flush samples.
  EXPECT_DOUBLE_EQ(Value(families, "node_disk_io_time_weighted_seconds_total", {{"device", "sda"}}),
                   0.011);
  EXPECT_EQ(SampleValue(families, "node_disk_discards_completed_total", {{"device", "sda"}}),
            std::nullopt);
}

TEST(DiskstatsCollectorTest, FilesystemInfoFromUdev) {
  const Families families =
      CollectFixture(CollectorOptions::Defaults().Get<collectors::DiskstatsOptions>());
  // b254:0 has E:ID_FS_TYPE=ext4 and no other ID_FS_* property; b259:0 has all four.
  const auto* fs = test::FindFamily(families, "node_disk_filesystem_info");
  ASSERT_NE(fs, nullptr);
  EXPECT_EQ(test::LabelSets(*fs),
            (std::vector<LabelMap>{
                {{"device", "vda"}, {"type", "ext4"}, {"usage", ""}, {"uuid", ""}, {"version", ""}},
                {{"device", "nvme0n1"},
                 {"type", "xfs"},
                 {"usage", "filesystem"},
                 {"uuid", "0b6e3b5c-1111-4a2b-9c3d-000000000002"},
                 {"version", "1.0"}}}));
  // Device-mapper and ATA properties exist only in b259:0 (nvme0n1).
  EXPECT_EQ(SampleValue(families, "node_disk_device_mapper_info",
                        {{"device", "nvme0n1"},
                         {"lv_layer", ""},
                         {"lv_name", "root"},
                         {"name", "vg0-root"},
                         {"uuid", "LVM-vitalssynthetic"},
                         {"vg_name", "vg0"}}),
            1);
  EXPECT_EQ(SampleValue(families, "node_disk_ata_rotation_rate_rpm", {{"device", "nvme0n1"}}),
            7200);
  EXPECT_EQ(SampleValue(families, "node_disk_ata_write_cache", {{"device", "nvme0n1"}}), 1);
  EXPECT_EQ(SampleValue(families, "node_disk_ata_write_cache_enabled", {{"device", "nvme0n1"}}), 0);
  EXPECT_EQ(SampleValue(families, "node_disk_ata_write_cache", {{"device", "vda"}}), std::nullopt);
}

TEST(DiskstatsCollectorTest, DeviceMapperAndAtaInfoFromUdev) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "proc" / "diskstats",
                  "8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n"
                  "253 0 dm-0 1 2 3 4 5 6 7 8 9 10 11\n"
                  "8 16 sdb 1 2 3 4 5 6 7 8 9 10 11\n");
  test::WriteFile(dir.path() / "udev" / "b8:0",
                  "E:ID_ATA=1\nE:ID_ATA_ROTATION_RATE_RPM=7200\nE:ID_ATA_WRITE_CACHE=1\n"
                  "E:ID_ATA_WRITE_CACHE_ENABLED=0\nE:ID_FS_TYPE=LVM2_member\n"
                  "E:ID_FS_USAGE=raid\nE:ID_FS_UUID=abc-123\nE:ID_FS_VERSION=LVM2 001\n");
  test::WriteFile(dir.path() / "udev" / "b253:0",
                  "E:DM_NAME=vg0-root\nE:DM_LV_NAME=root\nE:DM_VG_NAME=vg0\n"
                  "E:DM_UUID=LVM-xyz\n");
  // ATA properties without ID_ATA=1 are not ATA facts.
  test::WriteFile(dir.path() / "udev" / "b8:16", "E:ID_ATA_ROTATION_RATE_RPM=5400\n");
  Paths paths;
  paths.procfs = dir.Sub("proc");
  paths.udev_data = dir.Sub("udev");
  const Families families = CollectFixture({}, paths);

  EXPECT_EQ(SampleValue(families, "node_disk_ata_rotation_rate_rpm", {{"device", "sda"}}), 7200);
  EXPECT_EQ(SampleValue(families, "node_disk_ata_write_cache", {{"device", "sda"}}), 1);
  EXPECT_EQ(SampleValue(families, "node_disk_ata_write_cache_enabled", {{"device", "sda"}}), 0);
  EXPECT_EQ(SampleValue(families, "node_disk_ata_rotation_rate_rpm", {{"device", "sdb"}}),
            std::nullopt);
  EXPECT_EQ(SampleValue(families, "node_disk_filesystem_info",
                        {{"device", "sda"},
                         {"type", "LVM2_member"},
                         {"usage", "raid"},
                         {"uuid", "abc-123"},
                         {"version", "LVM2 001"}}),
            1);
  EXPECT_EQ(SampleValue(families, "node_disk_device_mapper_info",
                        {{"device", "dm-0"},
                         {"lv_layer", ""},
                         {"lv_name", "root"},
                         {"name", "vg0-root"},
                         {"uuid", "LVM-xyz"},
                         {"vg_name", "vg0"}}),
            1);
  const auto* dm = test::FindFamily(families, "node_disk_device_mapper_info");
  ASSERT_NE(dm, nullptr);
  EXPECT_EQ(dm->metric.size(), 1u);
}

TEST(DiskstatsCollectorTest, MissingUdevDirectoryGivesEmptyLabels) {
  Paths paths = test::FixturePaths();
  paths.udev_data = test::FixturePath("no-such-udev-dir");
  const Families families =
      CollectFixture(CollectorOptions::Defaults().Get<collectors::DiskstatsOptions>(), paths);
  const auto* info = test::FindFamily(families, "node_disk_info");
  ASSERT_NE(info, nullptr);
  ASSERT_EQ(info->metric.size(), 3u);
  for (const auto& metric : info->metric) {
    EXPECT_EQ(test::Labels(metric).at("model"), "");
    EXPECT_EQ(test::Labels(metric).at("serial"), "");
  }
}

TEST(DiskstatsCollectorTest, IncludeFilterKeepsOnlyMatches) {
  DiskstatsOptions options;
  options.devices = *DeviceFilter::Make("^vda1$", "");
  const Families families = CollectFixture(options);
  EXPECT_EQ(Devices(families, "node_disk_reads_completed_total"),
            (std::vector<std::string>{"vda1"}));
  // "254 1 vda1 1200 10 96000 800 300 20 4800 200 0 900 1000".
  EXPECT_EQ(SampleValue(families, "node_disk_read_bytes_total", {{"device", "vda1"}}),
            96000.0 * 512);
}

TEST(DiskstatsCollectorTest, WithoutFilterEveryLineIsPublished) {
  const Families families = CollectFixture({});
  EXPECT_EQ(Devices(families, "node_disk_reads_completed_total").size(),
            test::Lines(test::ReadFixture("proc/diskstats")).size());
}

TEST(DiskstatsCollectorTest, RepeatedCollectIsStable) {
  DiskstatsCollector collector(test::FixturePaths(),
                               CollectorOptions::Defaults().Get<collectors::DiskstatsOptions>());
  Families first, second;
  ASSERT_TRUE(collector.Collect({}, first).ok());
  ASSERT_TRUE(collector.Collect({}, second).ok());  // Second pass uses the udev cache.
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].name, second[i].name);
    EXPECT_EQ(test::LabelSets(first[i]), test::LabelSets(second[i]));
  }
}

TEST(DiskstatsCollectorTest, MalformedFileFails) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "diskstats", "8 0 sda 1 2 3\n");
  Paths paths;
  paths.procfs = dir.path().string();
  DiskstatsCollector collector(paths, {});
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("diskstats"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace vitals::collectors
