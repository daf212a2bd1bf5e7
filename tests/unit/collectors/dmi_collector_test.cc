#include "collectors/dmi_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

TEST(DmiCollectorTest, FixtureAsNodeExporter) {
  DmiCollector collector(test::FixturePaths());
  for (int scrape = 0; scrape < 2; ++scrape) {  // the second one from the cache
    Families families;
    const Status status = collector.Collect({}, families);
    ASSERT_TRUE(status.ok()) << status.message();
    const auto* info = test::FindFamily(families, "node_dmi_info");
    ASSERT_NE(info, nullptr);
    ASSERT_EQ(info->metric.size(), 1u);
    const auto labels = test::Labels(info->metric[0]);
    EXPECT_EQ(labels.at("product_name"), "PowerEdge R6515");
    EXPECT_EQ(labels.at("bios_date"), "04/12/2021");
    EXPECT_EQ(labels.count("chassis_type"), 0u);
    EXPECT_EQ(info->metric[0].gauge.value, 1.0);
  }
}

TEST(DmiCollectorTest, NoDmiIsAnEmptySuccess) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "kernel/uevent_seqnum", "1\n");
  Paths paths;
  paths.sysfs = dir.path().string();
  DmiCollector collector(paths);
  Families families;
  EXPECT_TRUE(collector.Collect({}, families).ok());
  EXPECT_TRUE(families.empty());
}

}  // namespace
}  // namespace vitals::collectors
