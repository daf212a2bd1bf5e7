#include "collectors/cgroups_collector.h"

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
  return test::CollectOnce<CgroupsCollector>(paths);
}

// tests/fixtures/proc/cgroups: captured here.
TEST(CgroupsCollectorTest, Fixture) {
  const auto [status, families] = Collect();
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 2u);
  EXPECT_EQ(SampleValue(families, "node_cgroups_cgroups", {{"subsys_name", "memory"}}), 130);
  EXPECT_EQ(SampleValue(families, "node_cgroups_enabled", {{"subsys_name", "pids"}}), 1);
  EXPECT_EQ(test::FindFamily(families, "node_cgroups_cgroups")->metric.size(), 12u);
  EXPECT_EQ(test::FindFamily(families, "node_cgroups_enabled")->help,
            "Current cgroup number of the subsystem.");
}

TEST(CgroupsCollectorTest, MissingOrMalformedFails) {
  test::TempDir dir;
  const Paths paths = EmptyTree(dir);
  EXPECT_FALSE(Collect(paths).first.ok());
  test::WriteFile(dir.path() / "proc/cgroups", "#subsys_name\nmemory 1 x 1\n");
  const auto [status, families] = Collect(paths);
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(families.empty());
}

}  // namespace
}  // namespace vitals::collectors
