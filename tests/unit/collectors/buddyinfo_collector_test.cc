#include "collectors/buddyinfo_collector.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <utility>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::EmptyTree;
using test::SampleValue;

std::pair<Status, Families> Collect(const Paths& paths = test::FixturePaths()) {
  return test::CollectOnce<BuddyinfoCollector>(paths);
}

// tests/fixtures/proc/buddyinfo: prometheus/procfs's.
TEST(BuddyinfoCollectorTest, Fixture) {
  const auto [status, families] = Collect();
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].metric.size(), 33u);
  EXPECT_EQ(SampleValue(families, "node_buddyinfo_blocks",
                        {{"node", "0"}, {"zone", "Normal"}, {"size", "0"}}),
            4381);
  EXPECT_EQ(SampleValue(families, "node_buddyinfo_blocks",
                        {{"node", "0"}, {"zone", "DMA"}, {"size", "10"}}),
            3);
}

TEST(BuddyinfoCollectorTest, MissingOrMalformedFails) {
  test::TempDir dir;
  const Paths paths = EmptyTree(dir);
  EXPECT_FALSE(Collect(paths).first.ok());
  test::WriteFile(dir.path() / "proc/buddyinfo", "Node 0, zone DMA 1 2\nNode 0, zone X 1\n");
  const auto [status, families] = Collect(paths);
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(families.empty());
}

TEST(BuddyinfoCollectorTest, ARepeatedZoneKeepsTheFirst) {
  test::TempDir dir;
  const Paths paths = EmptyTree(dir);
  test::WriteFile(dir.path() / "proc/buddyinfo", "Node 0, zone DMA 1 2\nNode 0, zone DMA 3 4\n");
  const auto [status, families] = Collect(paths);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families[0].metric.size(), 2u);
  EXPECT_EQ(SampleValue(families, "node_buddyinfo_blocks",
                        {{"node", "0"}, {"zone", "DMA"}, {"size", "1"}}),
            2);
}

}  // namespace
}  // namespace vitals::collectors
