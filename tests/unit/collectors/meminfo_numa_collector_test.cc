#include "collectors/meminfo_numa_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "collectors/registry.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;
using test::Value;

TEST(MeminfoNumaCollectorTest, FixtureNodes) {
  MeminfoNumaCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  // tests/fixtures/sys/devices/system/node: node0 (this VM's), node1 (hand-written).
  // node0 "Node 0 MemTotal:       24683748 kB".
  EXPECT_EQ(Value(families, "node_memory_numa_MemTotal", {{"node", "0"}}), 24683748.0 * 1024);
  EXPECT_EQ(Value(families, "node_memory_numa_Active_file", {{"node", "1"}}), 1572864.0 * 1024);
  EXPECT_EQ(Value(families, "node_memory_numa_HugePages_Free", {{"node", "1"}}), 3);
  EXPECT_EQ(Value(families, "node_memory_numa_numa_miss_total", {{"node", "1"}}), 4321);
  // SecPageTables is only in node0's file.
  EXPECT_FALSE(SampleValue(families, "node_memory_numa_SecPageTables", {{"node", "1"}}));
  const auto* hit = test::FindFamily(families, "node_memory_numa_numa_hit_total");
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->type, prometheus::MetricType::Counter);
  EXPECT_EQ(hit->help, "Memory information field numa_hit_total.");
  EXPECT_EQ(test::FindFamily(families, "node_memory_numa_Active")->type,
            prometheus::MetricType::Gauge);
  EXPECT_FALSE(FindCollector("meminfo_numa")->enabled_by_default);
}

TEST(MeminfoNumaCollectorTest, NoNodesSucceedsAndABadNodeFailsEverything) {
  test::TempDir dir;
  Paths paths;
  paths.sysfs = dir.path().string();
  {
    MeminfoNumaCollector collector(paths);
    Families families;
    EXPECT_TRUE(collector.Collect({}, families).ok());
    EXPECT_TRUE(families.empty());
  }
  test::WriteFile(dir.path() / "devices/system/node/node0/meminfo", "Node 0 MemFree: 1 kB\n");
  test::WriteFile(dir.path() / "devices/system/node/node0/numastat", "numa_hit 1\n");
  // node1 has no numastat: node_exporter fails, node0's values unpublished.
  test::WriteFile(dir.path() / "devices/system/node/node1/meminfo", "Node 1 MemFree: 1 kB\n");
  MeminfoNumaCollector collector(paths);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("node1/numastat"), std::string::npos) << status.message();
  EXPECT_TRUE(families.empty());
}

}  // namespace
}  // namespace vitals::collectors
