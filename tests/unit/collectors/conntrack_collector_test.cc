#include "collectors/conntrack_collector.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::Value;

TEST(ConntrackCollectorTest, FixtureGauges) {
  ConntrackCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 10u);
  EXPECT_EQ(Value(families, "node_nf_conntrack_entries"),
            std::stod(test::ReadFixture("proc/sys/net/netfilter/nf_conntrack_count")));
  EXPECT_EQ(Value(families, "node_nf_conntrack_entries_limit"),
            std::stod(test::ReadFixture("proc/sys/net/netfilter/nf_conntrack_max")));
  // Column sums of proc/net/stat/nf_conntrack, read here independently.
  const auto lines = test::Lines(test::ReadFixture("proc/net/stat/nf_conntrack"));
  std::vector<double> sums(17, 0);
  for (size_t i = 1; i < lines.size(); ++i) {
    const auto tokens = test::Tokens(lines[i]);
    ASSERT_EQ(tokens.size(), 17u);
    for (size_t c = 0; c < 17; ++c) {
      sums[c] += static_cast<double>(std::stoull(tokens[c], nullptr, 16));
    }
  }
  EXPECT_EQ(Value(families, "node_nf_conntrack_stat_found"), sums[2]);
  EXPECT_EQ(Value(families, "node_nf_conntrack_stat_invalid"), sums[4]);
  EXPECT_EQ(Value(families, "node_nf_conntrack_stat_ignore"), sums[5]);
  EXPECT_EQ(Value(families, "node_nf_conntrack_stat_insert"), sums[8]);
  EXPECT_EQ(Value(families, "node_nf_conntrack_stat_insert_failed"), sums[9]);
  EXPECT_EQ(Value(families, "node_nf_conntrack_stat_drop"), sums[10]);
  EXPECT_EQ(Value(families, "node_nf_conntrack_stat_early_drop"), sums[11]);
  EXPECT_EQ(Value(families, "node_nf_conntrack_stat_search_restart"), sums[16]);
  for (const auto& family : families) {
    EXPECT_EQ(family.type, prometheus::MetricType::Gauge) << family.name;
  }
}

Paths ProcAt(const test::TempDir& dir) {
  Paths paths;
  paths.procfs = dir.path().string();
  return paths;
}

TEST(ConntrackCollectorTest, ModuleNotLoadedPublishesNothingAndSucceeds) {
  test::TempDir dir;
  ConntrackCollector collector(ProcAt(dir));
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(families.empty());
}

TEST(ConntrackCollectorTest, WithoutStatFileEntriesAndLimitOnly) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "sys/net/netfilter/nf_conntrack_count", "5\n");
  test::WriteFile(dir.path() / "sys/net/netfilter/nf_conntrack_max", "9\n");
  ConntrackCollector collector(ProcAt(dir));
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 2u);
  EXPECT_EQ(Value(families, "node_nf_conntrack_entries"), 5);
  EXPECT_EQ(Value(families, "node_nf_conntrack_entries_limit"), 9);
}

TEST(ConntrackCollectorTest, MalformedFilesFailAndNameThem) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "sys/net/netfilter/nf_conntrack_count", "5\n");
  test::WriteFile(dir.path() / "sys/net/netfilter/nf_conntrack_max", "many\n");
  ConntrackCollector collector(ProcAt(dir));
  Families families;
  Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find(dir.Sub("sys/net/netfilter/nf_conntrack_max")), std::string::npos)
      << status.message();
  EXPECT_EQ(families.size(), 1u);

  test::WriteFile(dir.path() / "sys/net/netfilter/nf_conntrack_max", "9\n");
  test::WriteFile(dir.path() / "net/stat/nf_conntrack", "garbage\n");
  families.clear();
  status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find(dir.Sub("net/stat/nf_conntrack")), std::string::npos)
      << status.message();
  EXPECT_EQ(families.size(), 2u);
}

}  // namespace
}  // namespace vitals::collectors
