#include "collectors/bcache_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;
using test::Value;

constexpr const char* kUuid = "deaddd54-c735-46d5-868e-f331c5fd7c74";

TEST(BcacheCollectorTest, FixtureSet) {
  BcacheCollector collector(test::FixturePaths(), {});
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  // tests/fixtures/sys/fs/bcache (prometheus/procfs's): one set, bdev0, cache0.
  const test::LabelMap set = {{"uuid", kUuid}};
  const test::LabelMap bdev = {{"backing_device", "bdev0"}, {"uuid", kUuid}};
  const test::LabelMap cache = {{"cache_device", "cache0"}, {"uuid", kUuid}};
  EXPECT_EQ(Value(families, "node_bcache_active_journal_entries", set), 1);
  EXPECT_EQ(Value(families, "node_bcache_cache_available_percent", set), 100);
  EXPECT_EQ(Value(families, "node_bcache_btree_read_average_duration_seconds", set), 1305 * 1e-9);
  EXPECT_EQ(Value(families, "node_bcache_cache_hits_total", bdev),
            std::stod(test::ReadFixture(std::string("sys/fs/bcache/") + kUuid +
                                        "/bdev0/stats_total/cache_hits")));
  // No stats_total/cache_readaheads in the fixture: 0, as procfs reads a missing file.
  EXPECT_EQ(Value(families, "node_bcache_cache_readaheads_total", bdev), 0);
  EXPECT_EQ(Value(families, "node_bcache_writeback_rate", bdev), 1150976);
  EXPECT_EQ(Value(families, "node_bcache_dirty_target_bytes", bdev), 21894266880.0);
  EXPECT_EQ(Value(families, "node_bcache_metadata_written_bytes_total", cache), 512);
  EXPECT_FALSE(
      SampleValue(families, "node_bcache_priority_stats_unused_percent", cache).has_value());
  // Sorted by name, as node_exporter's registry writes them.
  for (size_t i = 1; i < families.size(); ++i) {
    EXPECT_LT(families[i - 1].name, families[i].name);
  }
  EXPECT_EQ(families.size(), 26u);
}

TEST(BcacheCollectorTest, PriorityStats) {
  BcacheOptions options;
  options.priority_stats = true;
  BcacheCollector collector(test::FixturePaths(), options);
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  const test::LabelMap cache = {{"cache_device", "cache0"}, {"uuid", kUuid}};
  EXPECT_EQ(Value(families, "node_bcache_priority_stats_unused_percent", cache), 99);
  EXPECT_EQ(Value(families, "node_bcache_priority_stats_metadata_percent", cache), 0);
}

TEST(BcacheCollectorTest, NoBcacheAndBadFiles) {
  test::TempDir dir;
  Paths paths;
  paths.sysfs = dir.path().string();
  {
    BcacheCollector collector(paths, {});
    Families families;
    EXPECT_TRUE(collector.Collect({}, families).ok());
    EXPECT_TRUE(families.empty());
  }
  const auto set = dir.path() / "fs/bcache/1-2";
  test::WriteFile(dir.path() / "fs/bcache/register", "");
  test::WriteFile(set / "tree_depth", "");      // procfs panics.
  test::WriteFile(set / "congested", "2.5\n");  // A float, truncated.
  test::WriteFile(set / "btree_cache_size", "1.5k\n");
  test::WriteFile(set / "bdev1/writeback_rate_debug", "rate: x\ntarget: 1k\n");
  test::WriteFile(set / "bdevs/dirty_data", "5\n");  // Not bdev[0-9]*.
  BcacheCollector collector(paths, {});
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  const test::LabelMap labels = {{"uuid", "1-2"}};
  EXPECT_FALSE(SampleValue(families, "node_bcache_tree_depth", labels).has_value());
  EXPECT_EQ(Value(families, "node_bcache_congested", labels), 2);
  EXPECT_EQ(Value(families, "node_bcache_btree_cache_size_bytes", labels), 1524);
  EXPECT_EQ(Value(families, "node_bcache_root_usage_percent", labels), 0);  // Missing.
  const test::LabelMap bdev = {{"backing_device", "bdev1"}, {"uuid", "1-2"}};
  EXPECT_FALSE(SampleValue(families, "node_bcache_writeback_rate", bdev).has_value());
  EXPECT_EQ(Value(families, "node_bcache_dirty_target_bytes", bdev), 1024);
  EXPECT_EQ(Value(families, "node_bcache_writeback_change", bdev), 0);  // No line.
  EXPECT_EQ(test::FindFamily(families, "node_bcache_dirty_data_bytes")->metric.size(), 1u);

  paths.sysfs = dir.Sub("missing");
  BcacheCollector missing(paths, {});
  EXPECT_FALSE(missing.Collect({}, families).ok());
}

}  // namespace
}  // namespace vitals::collectors
