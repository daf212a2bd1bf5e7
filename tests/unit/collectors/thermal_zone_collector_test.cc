#include "collectors/thermal_zone_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

TEST(ThermalZoneCollectorTest, FixtureAsNodeExporter) {
  ThermalZoneCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(
      SampleValue(families, "node_thermal_zone_temp", {{"type", "bcm2835_thermal"}, {"zone", "0"}}),
      49.925);
  EXPECT_EQ(SampleValue(families, "node_thermal_zone_temp", {{"type", "acpitz"}, {"zone", "1"}}),
            -44.0);
  EXPECT_EQ(SampleValue(families, "node_cooling_device_cur_state",
                        {{"name", "1"}, {"type", "intel_powerclamp"}}),
            -1.0);
  EXPECT_EQ(SampleValue(families, "node_cooling_device_max_state",
                        {{"name", "0"}, {"type", "Processor"}}),
            50.0);
  EXPECT_EQ(test::FindFamily(families, "node_thermal_zone_temp")->help,
            "Zone temperature in Celsius");
}

TEST(ThermalZoneCollectorTest, NoThermalIsAnEmptySuccess) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "kernel/uevent_seqnum", "1\n");
  Paths paths;
  paths.sysfs = dir.path().string();
  ThermalZoneCollector collector(paths);
  Families families;
  EXPECT_TRUE(collector.Collect({}, families).ok());
  for (const auto& family : families) EXPECT_TRUE(family.metric.empty()) << family.name;
}

TEST(ThermalZoneCollectorTest, ABadZoneIsSkippedAndReported) {
  test::TempDir dir;
  const auto thermal = dir.path() / "class/thermal";
  for (const char* zone : {"thermal_zone0", "thermal_zone1"}) {
    test::WriteFile(thermal / zone / "type", "acpitz\n");
    test::WriteFile(thermal / zone / "policy", "step_wise\n");
  }
  test::WriteFile(thermal / "thermal_zone0/temp", "oops\n");
  test::WriteFile(thermal / "thermal_zone1/temp", "30000\n");
  Paths paths;
  paths.sysfs = dir.path().string();
  ThermalZoneCollector collector(paths);
  Families families;
  EXPECT_FALSE(collector.Collect({}, families).ok());
  EXPECT_EQ(SampleValue(families, "node_thermal_zone_temp", {{"type", "acpitz"}, {"zone", "1"}}),
            30.0);
  EXPECT_EQ(SampleValue(families, "node_thermal_zone_temp", {{"type", "acpitz"}, {"zone", "0"}}),
            std::nullopt);
}

}  // namespace
}  // namespace vitals::collectors
