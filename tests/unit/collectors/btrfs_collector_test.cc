#include "collectors/btrfs_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::Value;

const char* kUuid = "0abb23a9-579b-43e6-ad30-227ef47fcb9d";

TEST(BtrfsCollectorTest, Fixture) {
  BtrfsCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(families.size(), 7u);
  EXPECT_EQ(Value(families, "node_btrfs_info", {{"uuid", kUuid}, {"label", "fixture"}}), 1);
  EXPECT_EQ(Value(families, "node_btrfs_global_rsv_size_bytes", {{"uuid", kUuid}}), 16777216);
  EXPECT_EQ(Value(families, "node_btrfs_used_bytes",
                  {{"uuid", kUuid}, {"block_group_type", "data"}, {"mode", "raid0"}}),
            808189952);
  EXPECT_EQ(Value(families, "node_btrfs_allocation_ratio",
                  {{"uuid", kUuid}, {"block_group_type", "metadata"}, {"mode", "raid1"}}),
            2);
  EXPECT_EQ(
      Value(families, "node_btrfs_device_size_bytes", {{"uuid", kUuid}, {"device", "loop26"}}),
      10737418240.0);
  EXPECT_EQ(Value(families, "node_btrfs_reserved_bytes",
                  {{"uuid", kUuid}, {"block_group_type", "system"}}),
            0);
}

TEST(BtrfsCollectorTest, NoBtrfsSucceedsWithNothingBrokenFails) {
  test::TempDir dir;
  Paths paths;
  paths.sysfs = dir.path().string();
  test::WriteFile(dir.path() / "fs/btrfs/features/zoned", "0\n");  // No '-': not a filesystem.
  {
    BtrfsCollector collector(paths);
    Families families;
    EXPECT_TRUE(collector.Collect({}, families).ok());
    EXPECT_TRUE(families.empty());
  }
  test::WriteFile(dir.path() / "fs/btrfs/aaaa-bbbb/label", "x\n");  // No allocation/system.
  BtrfsCollector collector(paths);
  Families families;
  EXPECT_FALSE(collector.Collect({}, families).ok());
  EXPECT_TRUE(families.empty());
}

}  // namespace
}  // namespace vitals::collectors
