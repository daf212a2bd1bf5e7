#include "collectors/nfsd_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::Value;

TEST(NfsdCollectorTest, Fixture) {
  NfsdCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(Value(families, "node_nfsd_packets_total", {{"proto", "tcp"}}), 18628);
  EXPECT_EQ(Value(families, "node_nfsd_server_threads", {}), 8);
  EXPECT_EQ(Value(families, "node_nfsd_rpc_errors_total", {{"error", "cInt"}}), 0);
  EXPECT_EQ(Value(families, "node_nfsd_requests_total", {{"proto", "4"}, {"method", "PutFH"}}),
            9609);
  const auto* requests = test::FindFamily(families, "node_nfsd_requests_total");
  ASSERT_NE(requests, nullptr);
  // v2 and v3 without Null, 33 of the 38 v4 operations.
  EXPECT_EQ(requests->metric.size(), 17u + 21u + 33u);
}

TEST(NfsdCollectorTest, AbsentFileSucceedsWithNothingMalformedFails) {
  test::TempDir dir;
  Paths paths;
  paths.procfs = dir.path().string();
  {
    NfsdCollector nfsd(paths);
    Families families;
    EXPECT_TRUE(nfsd.Collect({}, families).ok());
    EXPECT_TRUE(families.empty());
  }
  test::WriteFile(dir.path() / "net/rpc/nfsd", "bogus 1\n");
  NfsdCollector nfsd(paths);
  Families families;
  EXPECT_FALSE(nfsd.Collect({}, families).ok());
  EXPECT_TRUE(families.empty());
  paths.procfs = (dir.path() / "missing").string();
  NfsdCollector wrong_root(paths);
  EXPECT_FALSE(wrong_root.Collect({}, families).ok());
}

}  // namespace
}  // namespace vitals::collectors
