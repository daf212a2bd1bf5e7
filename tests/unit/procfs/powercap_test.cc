#include "procfs/powercap.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(GoCleanPathTest, AsFilepathClean) {
  EXPECT_EQ(GoCleanPath("sys/class/powercap/intel-rapl:0"), "sys/class/powercap/intel-rapl:0");
  EXPECT_EQ(GoCleanPath("/sys//class/./powercap/"), "/sys/class/powercap");
  EXPECT_EQ(GoCleanPath("./sys/../sys/class"), "sys/class");
  EXPECT_EQ(GoCleanPath("/../x"), "/x");
  EXPECT_EQ(GoCleanPath("../x"), "../x");
  EXPECT_EQ(GoCleanPath(""), ".");
}

TEST(SanitizeMetricNameTest, AsNodeExporter) {
  EXPECT_EQ(SanitizeMetricName("package"), "package");
  EXPECT_EQ(SanitizeMetricName("package-0-die-0"), "package_0_die_0");
  EXPECT_EQ(SanitizeMetricName("a_-_b"), "a_b");
  EXPECT_EQ(SanitizeMetricName("a__b"), "a__b");
  EXPECT_EQ(SanitizeMetricName("-x-"), "_x_");
  EXPECT_EQ(SanitizeMetricName(""), "");
}

TEST(ReadRaplZonesTest, Fixture) {
  FileCache files;
  const std::string dir = test::FixturePath("sys/class/powercap");
  const auto zones = ReadRaplZones(files, dir);
  ASSERT_TRUE(zones.ok()) << zones.error();
  ASSERT_EQ(zones->size(), 3u);  // intel-rapl has no name file
  EXPECT_EQ((*zones)[0].name, "package");
  EXPECT_EQ((*zones)[0].index, 0);
  EXPECT_EQ((*zones)[0].path, GoCleanPath(dir + "/intel-rapl:0"));
  EXPECT_EQ((*zones)[1].name, "core");
  EXPECT_EQ((*zones)[1].index, 0);
  EXPECT_EQ((*zones)[2].name, "package");
  EXPECT_EQ((*zones)[2].index, 10);
  const auto missing = ReadRaplZones(files, test::FixturePath("no-such-dir"));
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.failure().Vanished());
}

TEST(ReadRaplZonesTest, DuplicateNamesAndBadFiles) {
  test::TempDir dir;
  for (const char* zone : {"intel-rapl:0:1", "intel-rapl:1:1"}) {
    test::WriteFile(dir.path() / zone / "name", "dram\n");
    test::WriteFile(dir.path() / zone / "max_energy_range_uj", "65532610987\n");
  }
  FileCache files;
  auto zones = ReadRaplZones(files, dir.path().string());
  ASSERT_TRUE(zones.ok()) << zones.error();
  ASSERT_EQ(zones->size(), 2u);
  EXPECT_EQ((*zones)[0].index, 0);
  EXPECT_EQ((*zones)[1].index, 1);  // the second "dram"
  for (const char* bad : {"", "-1\n", "x\n"}) {
    test::WriteFile(dir.path() / "intel-rapl:1:1/max_energy_range_uj", bad);
    EXPECT_FALSE(ReadRaplZones(files, dir.path().string()).ok()) << bad;
  }
}

}  // namespace
}  // namespace vitals::procfs
