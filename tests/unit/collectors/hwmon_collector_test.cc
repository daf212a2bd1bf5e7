#include "collectors/hwmon_collector.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

TEST(HwmonCollectorTest, FixtureAsNodeExporter) {
  HwmonCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  // node_exporter 1.5 on tests/fixtures/sys (tests/e2e/node_exporter_fixture_compare.py
  // checks every sample).
  EXPECT_EQ(SampleValue(families, "node_hwmon_temp_celsius",
                        {{"chip", "platform_coretemp_0"}, {"sensor", "temp1"}}),
            45.0);
  EXPECT_EQ(SampleValue(families, "node_hwmon_temp_celsius",
                        {{"chip", "platform_coretemp_0"}, {"sensor", "temp3"}}),
            std::nullopt);
  EXPECT_EQ(SampleValue(families, "node_hwmon_temp_max_celsius",
                        {{"chip", "nvme_nvme0"}, {"sensor", "temp1"}}),
            84850 * 0.001);
  // Two chips named acpitz: the first (hwmon2) stays.
  EXPECT_EQ(
      SampleValue(families, "node_hwmon_temp_celsius", {{"chip", "acpitz"}, {"sensor", "temp1"}}),
      27800 * 0.001);
  EXPECT_EQ(test::FindFamily(families, "node_hwmon_chip_names")->metric.size(), 5u);
  EXPECT_EQ(SampleValue(
                families, "node_hwmon_sensor_label",
                {{"chip", "platform_coretemp_0"}, {"label", "Package id 0"}, {"sensor", "temp1"}}),
            1.0);
  EXPECT_EQ(SampleValue(families, "node_hwmon_humidity",
                        {{"chip", "acpi_power_meter"}, {"sensor", "humidity2"}}),
            1154 / 1000000.0);
  EXPECT_EQ(SampleValue(families, "node_hwmon_update_interval_seconds",
                        {{"chip", "platform_nct6775_656"}, {"sensor", "update_interval0"}}),
            1.0);
  const auto* energy = test::FindFamily(families, "node_hwmon_energy_joule_total");
  ASSERT_NE(energy, nullptr);
  EXPECT_EQ(energy->type, prometheus::MetricType::Counter);
  const auto* pwm = test::FindFamily(families, "node_hwmon_pwm");
  ASSERT_NE(pwm, nullptr);
  EXPECT_EQ(pwm->help, "Hardware monitor pwm element ");
}

TEST(HwmonCollectorTest, NoHwmonIsAnEmptySuccess) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "kernel/uevent_seqnum", "1\n");
  Paths paths;
  paths.sysfs = dir.path().string();
  HwmonCollector collector(paths);
  Families families;
  EXPECT_TRUE(collector.Collect({}, families).ok());
  EXPECT_TRUE(families.empty());
  paths.sysfs = (dir.path() / "missing").string();
  HwmonCollector wrong(paths);
  EXPECT_FALSE(wrong.Collect({}, families).ok());
}

TEST(HwmonCollectorTest, DanglingLinkFailsButPublishesTheRest) {
  // node_exporter 1.5 returns the stat error of a dangling link after the other chips.
  test::TempDir dir;
  test::WriteFile(dir.path() / "class/hwmon/hwmon0/name", "k10temp\n");
  test::WriteFile(dir.path() / "class/hwmon/hwmon0/temp1_input", "51000\n");
  test::WriteFile(dir.path() / "class/hwmon/not-a-chip", "");
  std::filesystem::create_symlink("../../devices/gone", dir.path() / "class/hwmon/hwmon1");
  Paths paths;
  paths.sysfs = dir.path().string();
  HwmonCollector collector(paths);
  Families families;
  EXPECT_FALSE(collector.Collect({}, families).ok());
  EXPECT_EQ(
      SampleValue(families, "node_hwmon_temp_celsius", {{"chip", "k10temp"}, {"sensor", "temp1"}}),
      51.0);
}

}  // namespace
}  // namespace vitals::collectors
