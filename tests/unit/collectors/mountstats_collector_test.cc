#include "collectors/mountstats_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "collectors/registry.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;
using test::Value;

const test::LabelMap kTcp = {
    {"export", "192.168.1.1:/srv/test"}, {"protocol", "tcp"}, {"mountaddr", "192.168.1.1"}};

TEST(MountstatsCollectorTest, FixtureNfsMounts) {
  MountstatsCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 45u + 8);
  // tests/fixtures/proc/self -> 26231: the NFSv4 tcp mount and the NFSv3 udp one; the
  // second mount of 192.168.1.1:/srv/test (same protocol and address) is skipped.
  EXPECT_EQ(Value(families, "node_mountstats_nfs_age_seconds_total", kTcp), 13968);
  EXPECT_EQ(Value(families, "node_mountstats_nfs_read_bytes_total", kTcp), 1207640230);
  EXPECT_EQ(Value(families, "node_mountstats_nfs_transport_idle_time_seconds", kTcp), 11);
  EXPECT_EQ(Value(families, "node_mountstats_nfs_transport_maximum_rpc_slots", kTcp), 24);
  EXPECT_EQ(Value(families, "node_mountstats_nfs_event_vfs_read_pages_total", kTcp), 331);
  EXPECT_EQ(test::FindFamily(families, "node_mountstats_nfs_age_seconds_total")->metric.size(), 2u);
  // ACCESS's queue time 18446743919241604546 ms: % 2^53, then / 1000.
  EXPECT_EQ(Value(families, "node_mountstats_nfs_operations_queue_time_seconds_total",
                  {{"export", "192.168.1.1:/srv/test"},
                   {"protocol", "tcp"},
                   {"mountaddr", "192.168.1.1"},
                   {"operation", "ACCESS"}}),
            static_cast<double>(18446743919241604546u % (uint64_t{1} << 53)) / 1000.0);
  EXPECT_EQ(
      Value(
          families, "node_mountstats_nfs_transport_sends_total",
          {{"export", "192.168.1.2:/srv/udp"}, {"protocol", "udp"}, {"mountaddr", "192.168.1.2"}}),
      100);
  EXPECT_EQ(
      Value(
          families, "node_mountstats_nfs_age_seconds_total",
          {{"export", "192.168.1.2:/srv/udp"}, {"protocol", "udp"}, {"mountaddr", "192.168.1.2"}}),
      120.5);
  EXPECT_EQ(test::FindFamily(families, "node_mountstats_nfs_transport_maximum_rpc_slots")->type,
            prometheus::MetricType::Gauge);
  EXPECT_FALSE(FindCollector("mountstats")->enabled_by_default);
}

TEST(MountstatsCollectorTest, NoNfsSucceedsMissingMountinfoFails) {
  test::TempDir dir;
  Paths paths;
  paths.procfs = dir.path().string();
  test::WriteFile(dir.path() / "self/mountstats",
                  "device rootfs mounted on / with fstype rootfs\n");
  test::WriteFile(dir.path() / "self/mountinfo", "1 1 0:1 / / rw - rootfs rootfs rw\n");
  MountstatsCollector collector(paths);
  {
    Families families;
    EXPECT_TRUE(collector.Collect({}, families).ok());
    EXPECT_TRUE(families.empty());
  }
  std::filesystem::remove(dir.path() / "self/mountinfo");
  MountstatsCollector fresh(paths);  // The first keeps its files open.
  Families families;
  const Status status = fresh.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("mountinfo"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace vitals::collectors
