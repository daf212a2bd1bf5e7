#include "procfs/hwmon.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(ParseHwmonFilenameTest, AsNodeExportersRegexp) {
  const auto temp = ParseHwmonFilename("temp1_crit_alarm");
  ASSERT_TRUE(temp);
  EXPECT_EQ(temp->type, "temp");
  EXPECT_EQ(temp->number, 1);
  EXPECT_EQ(temp->property, "crit_alarm");
  const auto pwm = ParseHwmonFilename("pwm12");
  ASSERT_TRUE(pwm);
  EXPECT_EQ(pwm->type, "pwm");
  EXPECT_EQ(pwm->number, 12);
  EXPECT_EQ(pwm->property, "");
  // No digit: the greedy [^0-9]+ takes the whole name.
  const auto interval = ParseHwmonFilename("update_interval");
  ASSERT_TRUE(interval);
  EXPECT_EQ(interval->type, "update_interval");
  EXPECT_EQ(interval->number, 0);
  const auto leading_zero = ParseHwmonFilename("temp01_input");
  ASSERT_TRUE(leading_zero);
  EXPECT_EQ(leading_zero->number, 1);
  const auto digits_in_property = ParseHwmonFilename("temp1_auto_point1_temp");
  ASSERT_TRUE(digits_in_property);
  EXPECT_EQ(digits_in_property->property, "auto_point1_temp");
  // Truncated, empty and garbage names do not match.
  for (const char* bad : {"", "1temp_input", "temp1_", "temp1input", "d3cold_allowed",
                          "temp99999999999999999999_input", "temp1_a\nb"}) {
    EXPECT_FALSE(ParseHwmonFilename(bad)) << bad;
  }
}

TEST(CleanHwmonNameTest, LowerCaseUnderscoresTrimmed) {
  EXPECT_EQ(CleanHwmonName("coretemp\n"), "coretemp");
  EXPECT_EQ(CleanHwmonName("ACPI-Power.Meter\n"), "acpi_power_meter");
  EXPECT_EQ(CleanHwmonName("coretemp.0"), "coretemp_0");
  EXPECT_EQ(CleanHwmonName("0000:3c:00.0"), "0000:3c:00_0");
  EXPECT_EQ(CleanHwmonName("---"), "");
  EXPECT_EQ(CleanHwmonName(""), "");
  // One '_' per character: a two-byte UTF-8 letter, and each invalid byte.
  EXPECT_EQ(CleanHwmonName("a\xc3\xa9z"), "a_z");
  EXPECT_EQ(CleanHwmonName("a\xff\xfez"), "a__z");
}

TEST(ParseGoFloatTest, AsStrconvParseFloat) {
  EXPECT_EQ(ParseGoFloat("45000"), 45000.0);
  EXPECT_EQ(ParseGoFloat("-273150"), -273150.0);
  EXPECT_EQ(ParseGoFloat("+9.0"), 9.0);
  EXPECT_EQ(ParseGoFloat("1e3"), 1000.0);
  EXPECT_EQ(ParseGoFloat(".5"), 0.5);
  EXPECT_EQ(ParseGoFloat("0x1p-2"), 0.25);
  EXPECT_EQ(ParseGoFloat("-Inf"), -INFINITY);
  EXPECT_TRUE(std::isnan(*ParseGoFloat("NaN")));
  for (const char* bad : {"", " 42000", "42000 ", "not-a-number", "0x10", "+-1", "1e400", "+nan",
                          "1_000", "12 34", "\n"}) {
    EXPECT_EQ(ParseGoFloat(bad), std::nullopt) << '"' << bad << '"';
  }
}

TEST(HwmonChipNameTest, FixtureChips) {
  // tests/fixtures/sys/class/hwmon: device link first, then the name file, then hwmonN.
  const auto name = [](const char* hwmon) {
    const auto chip = HwmonChipName(test::FixturePath("sys/class/hwmon/") + hwmon);
    return chip.ok() ? *chip : "error: " + chip.error();
  };
  EXPECT_EQ(name("hwmon0"), "platform_coretemp_0");
  EXPECT_EQ(name("hwmon1"), "nvme_nvme0");
  EXPECT_EQ(name("hwmon2"), "acpitz");
  EXPECT_EQ(name("hwmon5"), "acpi_power_meter");
  EXPECT_EQ(name("hwmon6"), "hwmon6");
  EXPECT_FALSE(HwmonChipName(test::FixturePath("sys/class/hwmon/hwmon9")).ok());
}

TEST(ReadHwmonChipTest, ReadErrorsSkipTheValue) {
  FileCache files;
  const auto chip = ReadHwmonChip(files, test::FixturePath("sys/class/hwmon/hwmon0"));
  ASSERT_TRUE(chip.ok()) << chip.error();
  EXPECT_EQ(chip->name, "coretemp");
  EXPECT_EQ(chip->sensors.at("temp1").at("label"), "Package id 0");
  EXPECT_EQ(chip->sensors.at("temp1").at("input"), "45000");
  // temp3_input is a directory (read fails, as EIO does on a real chip): temp3 keeps
  // its label and max.
  EXPECT_EQ(chip->sensors.at("temp3").count("input"), 0u);
  EXPECT_EQ(chip->sensors.at("temp3").at("max"), "80000");
}

TEST(ReadHwmonChipTest, RealEioSkipsTheValue) {
  // /proc/self/mem at offset 0 answers read(2) with EIO, like a sensor that does not.
  test::TempDir dir;
  test::WriteFile(dir.path() / "name", "eio\n");
  test::WriteFile(dir.path() / "temp1_label", "broken\n");
  test::WriteFile(dir.path() / "temp2_input", "41000\n");
  std::filesystem::create_symlink("/proc/self/mem", dir.path() / "temp1_input");
  FileCache files;
  const auto chip = ReadHwmonChip(files, dir.path().string());
  ASSERT_TRUE(chip.ok()) << chip.error();
  EXPECT_EQ(chip->sensors.at("temp1").count("input"), 0u);
  EXPECT_EQ(chip->sensors.at("temp2").at("input"), "41000");
}

TEST(ReadHwmonChipTest, DeviceDirectoryAttributes) {
  // hwmon4's device/ (platform/nct6775.656) holds in7_input, as older drivers do.
  FileCache files;
  const auto chip = ReadHwmonChip(files, test::FixturePath("sys/class/hwmon/hwmon4"));
  ASSERT_TRUE(chip.ok()) << chip.error();
  EXPECT_EQ(chip->chip, "platform_nct6775_656");
  EXPECT_EQ(chip->sensors.at("in7").at("input"), "3312");
  EXPECT_EQ(chip->sensor_types.at("update_interval0"), "update_interval");
  EXPECT_EQ(chip->sensors.at("fan2").at("label"), "  Chassis Fan ");
}

TEST(ReadHwmonChipTest, EmptyAndTruncatedFiles) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "name", "");
  test::WriteFile(dir.path() / "temp1_input", "");
  test::WriteFile(dir.path() / "fan1_input", std::string(300, '7'));
  FileCache files;
  const auto chip = ReadHwmonChip(files, dir.path().string());
  ASSERT_TRUE(chip.ok()) << chip.error();
  EXPECT_FALSE(chip->name);  // empty name file: no chip_names sample
  EXPECT_EQ(chip->sensors.at("temp1").at("input"), "");
  EXPECT_EQ(chip->sensors.at("fan1").at("input").size(), 128u);  // one 128-byte read
}

}  // namespace
}  // namespace vitals::procfs
