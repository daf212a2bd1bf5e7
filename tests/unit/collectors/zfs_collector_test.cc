#include "collectors/zfs_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::Value;

TEST(ZfsCollectorTest, Fixture) {
  ZfsCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(Value(families, "node_zfs_arc_hits", {}), 8772612);
  const auto* hits = test::FindFamily(families, "node_zfs_arc_hits");
  ASSERT_NE(hits, nullptr);
  EXPECT_EQ(hits->help, "kstat.zfs.misc.arcstats.hits");
  EXPECT_EQ(hits->type, prometheus::MetricType::Untyped);
  EXPECT_EQ(test::FindFamily(families, "node_zfs_arc_memory_available_bytes"), nullptr);
  EXPECT_EQ(Value(families, "node_zfs_fm_erpt_dropped", {}), 18);
  EXPECT_EQ(Value(families, "node_zfs_zpool_nread", {{"zpool", "pool2"}}), 2826220);
  EXPECT_EQ(Value(families, "node_zfs_zpool_dataset_writes",
                  {{"zpool", "pool1"}, {"dataset", "pool1/home"}}),
            12);
  EXPECT_EQ(Value(families, "node_zfs_zpool_state", {{"zpool", "pool2"}, {"state", "degraded"}}),
            1);
  EXPECT_EQ(Value(families, "node_zfs_zpool_state", {{"zpool", "pool1"}, {"state", "degraded"}}),
            0);
  const auto* state = test::FindFamily(families, "node_zfs_zpool_state");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->metric.size(), 12u);
}

TEST(ZfsCollectorTest, NoZfsSucceedsWithNothingBrokenFileFails) {
  test::TempDir dir;
  Paths paths;
  paths.procfs = dir.path().string();
  {
    ZfsCollector collector(paths);
    Families families;
    EXPECT_TRUE(collector.Collect({}, families).ok());
    EXPECT_TRUE(families.empty());
  }
  test::WriteFile(dir.path() / "spl/kstat/zfs/zil", "name type data\nzil_commit_count 4 3\n");
  test::WriteFile(dir.path() / "spl/kstat/zfs/tank/io",
                  "nread nwritten reads writes wtime "
                  "wlentime wupdate rtime rlentime "
                  "rupdate wcnt rcnt\n1 2\n");
  ZfsCollector collector(paths);
  Families families;
  EXPECT_FALSE(collector.Collect({}, families).ok());
  // What came before the broken pool file is still published.
  EXPECT_EQ(Value(families, "node_zfs_zil_zil_commit_count", {}), 3);
}

}  // namespace
}  // namespace vitals::collectors
