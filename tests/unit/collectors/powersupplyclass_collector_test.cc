#include "collectors/powersupplyclass_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

TEST(PowerSupplyClassCollectorTest, FixtureAsNodeExporter) {
  PowerSupplyClassCollector collector(test::FixturePaths(), {});
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(SampleValue(families, "node_power_supply_online", {{"power_supply", "AC"}}), 0.0);
  EXPECT_EQ(SampleValue(families, "node_power_supply_energy_watthour", {{"power_supply", "BAT0"}}),
            49450000 / 1e6);
  EXPECT_EQ(
      SampleValue(families, "node_power_supply_temp_celsius", {{"power_supply", "test_battery"}}),
      297 / 10.0);
  EXPECT_EQ(
      SampleValue(families, "node_power_supply_info", {{"power_supply", "AC"}, {"type", "Mains"}}),
      1.0);
  EXPECT_EQ(test::FindFamily(families, "node_power_supply_capacity")->help,
            "capacity value of /sys/class/power_supply/<power_supply>.");
  EXPECT_EQ(test::FindFamily(families, "node_power_supply_current_avg"), nullptr);
}

TEST(PowerSupplyClassCollectorTest, IgnoredSupplies) {
  PowerSupplyOptions options;
  auto filter = DeviceFilter::Make("", "^(AC|test_.*)$");
  ASSERT_TRUE(filter.ok());
  options.supplies = *filter;
  PowerSupplyClassCollector collector(test::FixturePaths(), options);
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  const auto* info = test::FindFamily(families, "node_power_supply_info");
  ASSERT_NE(info, nullptr);
  ASSERT_EQ(info->metric.size(), 1u);
  EXPECT_EQ(test::Labels(info->metric[0]).at("power_supply"), "BAT0");
}

TEST(PowerSupplyClassCollectorTest, NoClassIsAnEmptySuccess) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "kernel/uevent_seqnum", "1\n");
  Paths paths;
  paths.sysfs = dir.path().string();
  PowerSupplyClassCollector collector(paths, {});
  Families families;
  EXPECT_TRUE(collector.Collect({}, families).ok());
  EXPECT_TRUE(families.empty());
}

TEST(PowerSupplyClassCollectorTest, ABadValueIsSkippedAndReported) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "class/power_supply/BAT0/capacity", "full\n");
  test::WriteFile(dir.path() / "class/power_supply/BAT0/present", "1\n");
  Paths paths;
  paths.sysfs = dir.path().string();
  PowerSupplyClassCollector collector(paths, {});
  Families families;
  EXPECT_FALSE(collector.Collect({}, families).ok());
  EXPECT_EQ(SampleValue(families, "node_power_supply_present", {{"power_supply", "BAT0"}}), 1.0);
  EXPECT_EQ(SampleValue(families, "node_power_supply_capacity", {{"power_supply", "BAT0"}}),
            std::nullopt);
}

}  // namespace
}  // namespace vitals::collectors
