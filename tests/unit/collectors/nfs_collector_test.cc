#include "collectors/nfs_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::Value;

TEST(NfsCollectorTest, Fixture) {
  NfsCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(families.size(), 6u);
  EXPECT_EQ(Value(families, "node_nfs_packets_total", {{"protocol", "tcp"}}), 18628);
  EXPECT_EQ(Value(families, "node_nfs_connections_total", {}), 6);
  EXPECT_EQ(Value(families, "node_nfs_rpc_authentication_refreshes_total", {}), 4338291);
  EXPECT_EQ(Value(families, "node_nfs_requests_total", {{"proto", "3"}, {"method", "GetAttr"}}),
            4084749);
  EXPECT_EQ(Value(families, "node_nfs_requests_total", {{"proto", "4"}, {"method", "Remove"}}), 2);
  const auto* requests = test::FindFamily(families, "node_nfs_requests_total");
  ASSERT_NE(requests, nullptr);
  EXPECT_EQ(requests->metric.size(), 18u + 22u + 59u);
}

TEST(NfsCollectorTest, AbsentFileSucceedsWithNothingMalformedFails) {
  test::TempDir dir;
  Paths paths;
  paths.procfs = dir.path().string();
  {
    NfsCollector nfs(paths);
    Families families;
    EXPECT_TRUE(nfs.Collect({}, families).ok());
    EXPECT_TRUE(families.empty());
  }
  test::WriteFile(dir.path() / "net/rpc/nfs", "net 1 2 3\n");
  NfsCollector nfs(paths);
  Families families;
  EXPECT_FALSE(nfs.Collect({}, families).ok());
  EXPECT_TRUE(families.empty());
  paths.procfs = (dir.path() / "missing").string();
  NfsCollector wrong_root(paths);
  EXPECT_FALSE(wrong_root.Collect({}, families).ok());
}

}  // namespace
}  // namespace vitals::collectors
