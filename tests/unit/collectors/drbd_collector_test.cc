#include "collectors/drbd_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "collectors/registry.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;
using test::Value;

TEST(DrbdCollectorTest, FixtureDevices) {
  DrbdCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  // tests/fixtures/proc/drbd: KiB counters in bytes, but "nr" as written (node_exporter 1.5).
  EXPECT_EQ(Value(families, "node_drbd_network_sent_bytes_total", {{"device", "drbd0"}}),
            17324442.0 * 1024);
  EXPECT_EQ(Value(families, "node_drbd_network_received_bytes_total", {{"device", "drbd0"}}),
            10961011);
  EXPECT_EQ(Value(families, "node_drbd_out_of_sync_bytes", {{"device", "drbd1"}}), 65536.0 * 1024);
  EXPECT_EQ(Value(families, "node_drbd_remote_pending", {{"device", "drbd0"}}), 2);
  EXPECT_EQ(
      Value(families, "node_drbd_node_role_is_primary", {{"device", "drbd0"}, {"node", "local"}}),
      1);
  EXPECT_EQ(
      Value(families, "node_drbd_node_role_is_primary", {{"device", "drbd1"}, {"node", "remote"}}),
      1);
  EXPECT_EQ(Value(families, "node_drbd_disk_state_is_up_to_date",
                  {{"device", "drbd1"}, {"node", "local"}}),
            0);
  EXPECT_EQ(Value(families, "node_drbd_connected", {{"device", "drbd0"}}), 1);
  EXPECT_EQ(Value(families, "node_drbd_connected", {{"device", "drbd2"}}), 0);
  EXPECT_EQ(test::FindFamily(families, "node_drbd_epochs")->type, prometheus::MetricType::Gauge);
  EXPECT_EQ(test::FindFamily(families, "node_drbd_bitmap_writes_total")->type,
            prometheus::MetricType::Counter);
  EXPECT_FALSE(FindCollector("drbd")->enabled_by_default);
}

TEST(DrbdCollectorTest, NoDrbdSucceedsBadNumberFailsAfterEarlierValues) {
  test::TempDir dir;
  Paths paths;
  paths.procfs = dir.path().string();
  DrbdCollector collector(paths);
  {
    Families families;
    EXPECT_TRUE(collector.Collect({}, families).ok());
    EXPECT_TRUE(families.empty());
  }
  test::WriteFile(dir.path() / "drbd", "0: ns:5 ro:Secondary nr:x dw:7\n");
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("parsing \"x\""), std::string::npos) << status.message();
  EXPECT_EQ(Value(families, "node_drbd_network_sent_bytes_total", {{"device", "drbd0"}}), 5120);
  // "ro:Secondary" without "/": local only (node_exporter 1.5 panics on it).
  EXPECT_EQ(
      Value(families, "node_drbd_node_role_is_primary", {{"device", "drbd0"}, {"node", "local"}}),
      0);
  EXPECT_FALSE(SampleValue(families, "node_drbd_node_role_is_primary",
                           {{"device", "drbd0"}, {"node", "remote"}}));
  EXPECT_FALSE(SampleValue(families, "node_drbd_disk_written_bytes_total", {{"device", "drbd0"}}));
}

}  // namespace
}  // namespace vitals::collectors
