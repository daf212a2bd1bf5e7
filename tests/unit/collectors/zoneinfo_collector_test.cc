#include "collectors/zoneinfo_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "collectors/registry.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;
using test::Value;

TEST(ZoneinfoCollectorTest, FixtureZones) {
  ZoneinfoCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  // tests/fixtures/proc/zoneinfo (prometheus/procfs's), node 0.
  EXPECT_EQ(Value(families, "node_zoneinfo_nr_free_pages", {{"node", "0"}, {"zone", "DMA32"}}),
            204252);
  EXPECT_EQ(Value(families, "node_zoneinfo_protection_1", {{"node", "0"}, {"zone", "DMA"}}), 2877);
  EXPECT_EQ(Value(families, "node_zoneinfo_nr_dirtied_total", {{"node", "0"}, {"zone", "DMA"}}),
            8007423);
  EXPECT_FALSE(
      SampleValue(families, "node_zoneinfo_nr_dirtied_total", {{"node", "0"}, {"zone", "DMA32"}}));
  const auto* written = test::FindFamily(families, "node_zoneinfo_nr_written_total");
  ASSERT_NE(written, nullptr);
  EXPECT_EQ(written->type, prometheus::MetricType::Counter);
  EXPECT_EQ(written->help, "Page writings since bootup");
  EXPECT_EQ(test::FindFamily(families, "node_zoneinfo_protection_4")->help,
            "Protection array 4. field");
  EXPECT_EQ(test::FindFamily(families, "node_zoneinfo_scanned_pages"), nullptr);
  EXPECT_FALSE(FindCollector("zoneinfo")->enabled_by_default);
}

TEST(ZoneinfoCollectorTest, MissingFileFails) {
  test::TempDir dir;
  Paths paths;
  paths.procfs = dir.path().string();
  ZoneinfoCollector collector(paths);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("zoneinfo"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace vitals::collectors
