#include "collectors/xfs_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::Value;

TEST(XfsCollectorTest, Fixture) {
  XfsCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(families.size(), 39u);
  // sda1, sdb1 (prometheus/procfs's), sdc1 and vdb; sys/fs/xfs/stats is the global file.
  for (const auto& family : families) {
    EXPECT_EQ(test::LabelValues(family, "device"),
              (std::vector<std::string>{"sda1", "sdb1", "sdc1", "vdb"}))
        << family.name;
  }
  EXPECT_EQ(
      Value(families, "node_xfs_extent_allocation_extents_allocated_total", {{"device", "sda1"}}),
      1);
  EXPECT_EQ(Value(families, "node_xfs_read_calls_total", {{"device", "sdc1"}}), 94045);
  EXPECT_EQ(Value(families, "node_xfs_write_calls_total", {{"device", "sdc1"}}), 107739);
  EXPECT_EQ(
      Value(families, "node_xfs_inode_operation_attribute_changes_total", {{"device", "sdc1"}}),
      22);
  EXPECT_EQ(Value(families, "node_xfs_vnode_remove_total", {{"device", "sdc1"}}), 92444);
}

TEST(XfsCollectorTest, NoXfsSucceedsWithNothingMalformedFails) {
  test::TempDir dir;
  Paths paths;
  paths.sysfs = dir.path().string();
  {
    XfsCollector collector(paths);
    Families families;
    EXPECT_TRUE(collector.Collect({}, families).ok());
    test::WriteFile(dir.path() / "fs/xfs/stats/stats", "rw 1 2\n");
    EXPECT_TRUE(collector.Collect({}, families).ok());
    EXPECT_TRUE(families.empty());
  }
  test::WriteFile(dir.path() / "fs/xfs/vda/stats/stats", "rw 1 2\n");
  test::WriteFile(dir.path() / "fs/xfs/vdb/stats/stats", "rw 1\n");
  XfsCollector collector(paths);
  Families families;
  EXPECT_FALSE(collector.Collect({}, families).ok());
  EXPECT_TRUE(families.empty());
}

}  // namespace
}  // namespace vitals::collectors
