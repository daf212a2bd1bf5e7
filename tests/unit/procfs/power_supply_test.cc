#include "procfs/power_supply.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(PowerSupplyTest, FixtureSupplies) {
  const auto dir = test::FixturePath("sys/class/power_supply");
  const auto names = ListPowerSupplies(dir);
  ASSERT_TRUE(names.ok()) << names.error();
  EXPECT_EQ(*names, (std::vector<std::string>{"AC", "BAT0", "test_battery"}));
  FileCache files;
  const auto bat = ReadPowerSupply(files, dir, "BAT0");
  ASSERT_TRUE(bat.ok()) << bat.error();
  EXPECT_TRUE(bat->errors.empty());
  EXPECT_EQ(bat->numbers.at("energy_now"), 49450000);
  EXPECT_EQ(bat->numbers.at("capacity"), 98);
  EXPECT_EQ(bat->texts.at("status"), "Discharging");
  EXPECT_EQ(bat->numbers.count("charge_start_threshold"), 0u);  // not parsed by procfs 0.8.0
  EXPECT_FALSE(ListPowerSupplies(test::FixturePath("no-such-dir")).ok());
}

TEST(PowerSupplyTest, MalformedAttributes) {
  test::TempDir dir;
  const auto bat = dir.path() / "BAT1";
  test::WriteFile(bat / "capacity", "0x10\n");    // ParseInt base 0: 16
  test::WriteFile(bat / "cycle_count", "010\n");  // octal: 8
  test::WriteFile(bat / "voltage_now", "garbage\n");
  test::WriteFile(bat / "energy_now", "");
  test::WriteFile(bat / "manufacturer", "  ACME  \n");
  test::WriteFile(bat / "power_now/x", "");  // a directory: not a regular file, skipped
  std::filesystem::create_symlink("capacity", bat / "present");  // a link: skipped
  FileCache files;
  const auto supply = ReadPowerSupply(files, dir.path().string(), "BAT1");
  ASSERT_TRUE(supply.ok()) << supply.error();
  EXPECT_EQ(supply->numbers.at("capacity"), 16);
  EXPECT_EQ(supply->numbers.at("cycle_count"), 8);
  EXPECT_EQ(supply->numbers.count("voltage_now"), 0u);
  EXPECT_EQ(supply->numbers.count("energy_now"), 0u);
  EXPECT_EQ(supply->numbers.count("present"), 0u);
  EXPECT_EQ(supply->errors.size(), 2u);  // voltage_now and energy_now
  EXPECT_EQ(supply->texts.at("manufacturer"), "ACME");
  EXPECT_FALSE(ReadPowerSupply(files, dir.path().string(), "nope").ok());
}

}  // namespace
}  // namespace vitals::procfs
