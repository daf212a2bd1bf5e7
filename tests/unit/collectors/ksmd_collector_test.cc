#include "collectors/ksmd_collector.h"

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
  return test::CollectOnce<KsmdCollector>(paths);
}

// tests/fixtures/sys/kernel/mm/ksm: captured here, some counters set by hand.
TEST(KsmdCollectorTest, Fixture) {
  const auto [status, families] = Collect();
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 9u);
  EXPECT_EQ(SampleValue(families, "node_ksmd_full_scans_total", {}), 7);
  EXPECT_EQ(test::FindFamily(families, "node_ksmd_full_scans_total")->type,
            prometheus::MetricType::Counter);
  EXPECT_EQ(SampleValue(families, "node_ksmd_pages_sharing", {}), 40);
  EXPECT_EQ(SampleValue(families, "node_ksmd_sleep_seconds", {}), 20.0 / 1000);
  EXPECT_EQ(test::FindFamily(families, "node_ksmd_sleep_seconds")->help,
            "ksmd 'sleep_millisecs' file.");
  // Files node_exporter 1.5 does not read are not published.
  EXPECT_EQ(test::FindFamily(families, "node_ksmd_max_page_sharing"), nullptr);
}

TEST(KsmdCollectorTest, MissingOrBadFileFailsKeepingEarlierValues) {
  test::TempDir dir;
  const Paths paths = EmptyTree(dir);
  EXPECT_FALSE(Collect(paths).first.ok());  // No CONFIG_KSM: node_exporter fails too.
  const auto ksm = dir.path() / "sys/kernel/mm/ksm";
  test::WriteFile(ksm / "full_scans", "3\n");
  test::WriteFile(ksm / "merge_across_nodes", "1\n");
  test::WriteFile(ksm / "pages_shared", "-1\n");
  const auto [status, families] = Collect(paths);
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(families.size(), 2u);
}

}  // namespace
}  // namespace vitals::collectors
