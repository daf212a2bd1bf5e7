#include "collectors/rapl_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "procfs/powercap.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

TEST(RaplCollectorTest, FixtureAsNodeExporter) {
  const std::string dir = procfs::GoCleanPath(test::FixturePath("sys/class/powercap"));
  for (const bool zone_label : {false, true}) {
    RaplCollector collector(test::FixturePaths(), {.zone_label = zone_label});
    Families families;
    const Status status = collector.Collect({}, families);
    ASSERT_TRUE(status.ok()) << status.message();
    if (!zone_label) {
      EXPECT_EQ(SampleValue(families, "node_rapl_package_joules_total",
                            {{"index", "10"}, {"path", dir + "/intel-rapl:a"}}),
                240422366267 / 1000000.0);
      EXPECT_EQ(SampleValue(families, "node_rapl_core_joules_total",
                            {{"index", "0"}, {"path", dir + "/intel-rapl:0:0"}}),
                118821284256 / 1000000.0);
      EXPECT_EQ(test::FindFamily(families, "node_rapl_core_joules_total")->help,
                "Current RAPL core value in joules");
    } else {
      EXPECT_EQ(
          SampleValue(families, "node_rapl_joules_total",
                      {{"index", "0"}, {"path", dir + "/intel-rapl:0:0"}, {"rapl_zone", "core"}}),
          118821284256 / 1000000.0);
      EXPECT_EQ(test::FindFamily(families, "node_rapl_core_joules_total"), nullptr);
    }
  }
}

TEST(RaplCollectorTest, NoPowercapIsAnEmptySuccess) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "kernel/uevent_seqnum", "1\n");
  Paths paths;
  paths.sysfs = dir.path().string();
  RaplCollector collector(paths, {});
  Families families;
  EXPECT_TRUE(collector.Collect({}, families).ok());
  EXPECT_TRUE(families.empty());
}

TEST(RaplCollectorTest, ABadCounterSkipsTheZone) {
  test::TempDir dir;
  const auto powercap = dir.path() / "class/powercap";
  for (const char* zone : {"intel-rapl:0", "intel-rapl:1"}) {
    test::WriteFile(powercap / zone / "name", std::string("package-") + zone[11] + "\n");
    test::WriteFile(powercap / zone / "max_energy_range_uj", "262143328850\n");
  }
  test::WriteFile(powercap / "intel-rapl:0/energy_uj", "garbage\n");
  test::WriteFile(powercap / "intel-rapl:1/energy_uj", "2000000\n");
  Paths paths;
  paths.sysfs = dir.path().string();
  RaplCollector collector(paths, {});
  Families families;
  EXPECT_FALSE(collector.Collect({}, families).ok());
  const auto* family = test::FindFamily(families, "node_rapl_package_joules_total");
  ASSERT_NE(family, nullptr);
  ASSERT_EQ(family->metric.size(), 1u);
  EXPECT_EQ(family->metric[0].counter.value, 2.0);
}

}  // namespace
}  // namespace vitals::collectors
