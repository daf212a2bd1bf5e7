#include "procfs/thermal.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(ParseGoIntTest, AsStrconvParseIntBase10) {
  EXPECT_EQ(ParseGoInt("49925"), 49925);
  EXPECT_EQ(ParseGoInt("-44000"), -44000);
  EXPECT_EQ(ParseGoInt("+7"), 7);
  for (const char* bad : {"", "-", "+", "+-1", "0x10", "1_0", " 1", "12a", "9223372036854775808"}) {
    EXPECT_EQ(ParseGoInt(bad), std::nullopt) << '"' << bad << '"';
  }
}

TEST(GlobNumberedTest, FixtureThermal) {
  const auto dir = test::FixturePath("sys/class/thermal");
  EXPECT_EQ(GlobNumbered(dir, "thermal_zone"),
            (std::vector<std::string>{"thermal_zone0", "thermal_zone1"}));
  EXPECT_EQ(GlobNumbered(dir, "cooling_device"),
            (std::vector<std::string>{"cooling_device0", "cooling_device1"}));
  EXPECT_TRUE(GlobNumbered(test::FixturePath("no-such-dir"), "thermal_zone").empty());
}

TEST(ReadThermalZoneTest, FixtureZones) {
  FileCache files;
  const auto dir = test::FixturePath("sys/class/thermal");
  const auto zone0 = ReadThermalZone(files, dir, "thermal_zone0");
  ASSERT_TRUE(zone0.ok()) << zone0.error();
  EXPECT_EQ(zone0->name, "0");
  EXPECT_EQ(zone0->type, "bcm2835_thermal");
  EXPECT_EQ(zone0->temp_millicelsius, 49925);
  const auto zone1 = ReadThermalZone(files, dir, "thermal_zone1");
  ASSERT_TRUE(zone1.ok()) << zone1.error();
  EXPECT_EQ(zone1->temp_millicelsius, -44000);
}

TEST(ReadThermalZoneTest, MalformedZones) {
  test::TempDir dir;
  const auto zone = dir.path() / "thermal_zone0";
  test::WriteFile(zone / "type", "acpitz\n");
  test::WriteFile(zone / "policy", "step_wise\n");
  FileCache files;
  // No temp file: an error that keeps ENOENT.
  auto missing = ReadThermalZone(files, dir.path().string(), "thermal_zone0");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.failure().Vanished());
  for (const char* bad : {"", "\n", "garbage\n", "45.5\n", "12345678901234567890\n"}) {
    test::WriteFile(zone / "temp", bad);
    EXPECT_FALSE(ReadThermalZone(files, dir.path().string(), "thermal_zone0").ok()) << bad;
  }
  test::WriteFile(zone / "temp", " 45000 \n");
  EXPECT_TRUE(ReadThermalZone(files, dir.path().string(), "thermal_zone0").ok());
  // passive is optional, but when present it must be an unsigned number.
  test::WriteFile(zone / "passive", "-1\n");
  EXPECT_FALSE(ReadThermalZone(files, dir.path().string(), "thermal_zone0").ok());
  test::WriteFile(zone / "passive", "0\n");
  EXPECT_TRUE(ReadThermalZone(files, dir.path().string(), "thermal_zone0").ok());
}

TEST(ReadCoolingDeviceTest, FixtureAndMalformed) {
  FileCache files;
  const auto device =
      ReadCoolingDevice(files, test::FixturePath("sys/class/thermal"), "cooling_device1");
  ASSERT_TRUE(device.ok()) << device.error();
  EXPECT_EQ(device->type, "intel_powerclamp");
  EXPECT_EQ(device->cur_state, -1);
  EXPECT_EQ(device->max_state, 27);
  test::TempDir dir;
  test::WriteFile(dir.path() / "cooling_device0/type", "Fan\n");
  test::WriteFile(dir.path() / "cooling_device0/max_state", "3\n");
  EXPECT_FALSE(ReadCoolingDevice(files, dir.path().string(), "cooling_device0").ok());
  test::WriteFile(dir.path() / "cooling_device0/cur_state", "x\n");
  EXPECT_FALSE(ReadCoolingDevice(files, dir.path().string(), "cooling_device0").ok());
  test::WriteFile(dir.path() / "cooling_device0/cur_state", "1\n");
  EXPECT_TRUE(ReadCoolingDevice(files, dir.path().string(), "cooling_device0").ok());
}

}  // namespace
}  // namespace vitals::procfs
