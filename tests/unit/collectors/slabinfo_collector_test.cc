#include "collectors/slabinfo_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "collectors/registry.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::Value;

TEST(SlabinfoCollectorTest, FixtureCaches) {
  SlabinfoCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 5u);
  // "nvidia_stack_cache    321    326  12624    2    8 : tunables ..."
  EXPECT_EQ(Value(families, "node_slabinfo_active_objects", {{"slab", "nvidia_stack_cache"}}), 321);
  EXPECT_EQ(Value(families, "node_slabinfo_objects", {{"slab", "nvidia_stack_cache"}}), 326);
  EXPECT_EQ(Value(families, "node_slabinfo_object_size_bytes", {{"slab", "nvidia_stack_cache"}}),
            12624);
  EXPECT_EQ(Value(families, "node_slabinfo_objects_per_slab", {{"slab", "nvidia_stack_cache"}}), 2);
  EXPECT_EQ(Value(families, "node_slabinfo_pages_per_slab", {{"slab", "nvidia_stack_cache"}}), 8);
  for (const auto& family : families) {
    EXPECT_EQ(family.type, prometheus::MetricType::Gauge) << family.name;
    EXPECT_EQ(family.metric.size(), 300u) << family.name;
  }
  EXPECT_FALSE(FindCollector("slabinfo")->enabled_by_default);
}

TEST(SlabinfoCollectorTest, MissingOrMalformedFileFailsAndPublishesNothing) {
  test::TempDir dir;
  Paths paths;
  paths.procfs = dir.path().string();
  {
    SlabinfoCollector collector(paths);
    Families families;
    EXPECT_FALSE(collector.Collect({}, families).ok());
    EXPECT_TRUE(families.empty());
  }
  test::WriteFile(dir.path() / "slabinfo",
                  "slabinfo - version: 2.1\n"
                  "a 1 2 3 4 5 : tunables 0 0 0 : slabdata 1 1 0\n"
                  "b 1 2 3\n");
  SlabinfoCollector collector(paths);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("unable to parse"), std::string::npos) << status.message();
  EXPECT_TRUE(families.empty());
}

TEST(SlabinfoCollectorTest, DuplicateCacheKeepsTheFirst) {
  test::TempDir dir;
  Paths paths;
  paths.procfs = dir.path().string();
  test::WriteFile(dir.path() / "slabinfo",
                  "a 1 2 3 4 5 : tunables 0 0 0 : slabdata 1 1 0\n"
                  "a 9 9 9 9 9 : tunables 0 0 0 : slabdata 1 1 0\n");
  SlabinfoCollector collector(paths);
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  EXPECT_EQ(Value(families, "node_slabinfo_objects", {{"slab", "a"}}), 2);
}

}  // namespace
}  // namespace vitals::collectors
