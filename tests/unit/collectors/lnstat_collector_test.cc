#include "collectors/lnstat_collector.h"

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
  return test::CollectOnce<LnstatCollector>(paths);
}

// tests/fixtures/proc/net/stat: arp_cache and ndisc_cache (prometheus/procfs's) and
// nf_conntrack (the conntrack collector's).
TEST(LnstatCollectorTest, Fixture) {
  const auto [status, families] = Collect();
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(SampleValue(families, "node_lnstat_entries_total",
                        {{"subsystem", "ndisc_cache"}, {"cpu", "1"}}),
            0x24);
  EXPECT_EQ(SampleValue(families, "node_lnstat_found_total",
                        {{"subsystem", "nf_conntrack"}, {"cpu", "1"}}),
            0xffffffff);
  EXPECT_EQ(SampleValue(families, "node_lnstat_table_fulls_total",
                        {{"subsystem", "arp_cache"}, {"cpu", "0"}}),
            0xc);
  const auto* entries = test::FindFamily(families, "node_lnstat_entries_total");
  ASSERT_NE(entries, nullptr);
  EXPECT_EQ(entries->metric.size(), 6u);
  EXPECT_EQ(entries->help, "linux network cache stats");
  EXPECT_EQ(entries->type, prometheus::MetricType::Counter);
}

TEST(LnstatCollectorTest, NoStatDirectoryIsNothing) {
  test::TempDir dir;
  const Paths paths = EmptyTree(dir);
  const auto [status, families] = Collect(paths);
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(families.empty());
  Paths wrong;
  wrong.procfs = (dir.path() / "nope").string();
  EXPECT_FALSE(Collect(wrong).first.ok());
}

TEST(LnstatCollectorTest, ABadFileFailsTheWholeCollector) {
  test::TempDir dir;
  const Paths paths = EmptyTree(dir);
  test::WriteFile(dir.path() / "proc/net/stat/a_cache", "entries\n00000001\n");
  std::filesystem::create_directories(dir.path() / "proc/net/stat/b_dir");
  {
    const auto [status, families] = Collect(paths);
    ASSERT_TRUE(status.ok()) << status.message();
    EXPECT_EQ(SampleValue(families, "node_lnstat_entries_total",
                          {{"subsystem", "a_cache"}, {"cpu", "0"}}),
              1);
  }
  test::WriteFile(dir.path() / "proc/net/stat/c_cache", "entries\n0x1\n");
  const auto [status, families] = Collect(paths);
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(families.empty());
}

}  // namespace
}  // namespace vitals::collectors
