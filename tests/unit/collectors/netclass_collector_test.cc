#include "collectors/netclass_collector.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

Families CollectFixture(const NetclassOptions& options) {
  NetclassCollector collector(test::FixturePaths(), options);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  return families;
}

TEST(NetclassCollectorTest, FixtureInterfaces) {
  const Families families = CollectFixture({});
  const auto* up = test::FindFamily(families, "node_network_up");
  ASSERT_NE(up, nullptr);
  // sys/class/net has eth0, ifb0 and lo, listed in name order.
  EXPECT_EQ(test::LabelValues(*up, "device"), (std::vector<std::string>{"eth0", "ifb0", "lo"}));
  // operstate: eth0 "up", ifb0 "down", lo "unknown".
  EXPECT_EQ(SampleValue(families, "node_network_up", {{"device", "eth0"}}), 1);
  EXPECT_EQ(SampleValue(families, "node_network_up", {{"device", "ifb0"}}), 0);
  EXPECT_EQ(SampleValue(families, "node_network_up", {{"device", "lo"}}), 0);
  // mtu files: 1400, 1500, 65536.
  EXPECT_EQ(SampleValue(families, "node_network_mtu_bytes", {{"device", "eth0"}}), 1400);
  EXPECT_EQ(SampleValue(families, "node_network_mtu_bytes", {{"device", "ifb0"}}), 1500);
  EXPECT_EQ(SampleValue(families, "node_network_mtu_bytes", {{"device", "lo"}}), 65536);
}

TEST(NetclassCollectorTest, SpeedOfMinusOneAndAbsentSpeed) {
  const Families families = CollectFixture({});
  // eth0/speed is "-1" (virtio): node_exporter publishes -1 Mbit/s as -125000 bytes/s.
  EXPECT_EQ(SampleValue(families, "node_network_speed_bytes", {{"device", "eth0"}}), -125000);
  // lo and ifb0 have no readable speed: no sample at all.
  EXPECT_EQ(SampleValue(families, "node_network_speed_bytes", {{"device", "lo"}}), std::nullopt);
  EXPECT_EQ(SampleValue(families, "node_network_speed_bytes", {{"device", "ifb0"}}), std::nullopt);
}

TEST(NetclassCollectorTest, IgnoreInvalidSpeedDropsMinusOne) {
  NetclassOptions options;
  options.ignore_invalid_speed = true;
  const Families families = CollectFixture(options);
  const auto* speed = test::FindFamily(families, "node_network_speed_bytes");
  ASSERT_NE(speed, nullptr);
  EXPECT_TRUE(speed->metric.empty());
}

TEST(NetclassCollectorTest, SpeedConvertsMbitToBytes) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "class/net/eno1/speed", "10000\n");
  test::WriteFile(dir.path() / "class/net/eno1/operstate", "up\n");
  Paths paths;
  paths.sysfs = dir.path().string();
  NetclassOptions options;
  options.ignore_invalid_speed = true;
  NetclassCollector collector(paths, options);
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  EXPECT_EQ(SampleValue(families, "node_network_speed_bytes", {{"device", "eno1"}}),
            10000.0 * 1000 * 1000 / 8);
  // No mtu file: no mtu sample; info still has every label, empty where unreadable.
  EXPECT_EQ(SampleValue(families, "node_network_mtu_bytes", {{"device", "eno1"}}), std::nullopt);
  EXPECT_EQ(SampleValue(families, "node_network_info",
                        {{"address", ""},
                         {"broadcast", ""},
                         {"device", "eno1"},
                         {"duplex", ""},
                         {"ifalias", ""},
                         {"operstate", "up"}}),
            1);
}

TEST(NetclassCollectorTest, InfoLabelsFromAttributes) {
  const Families families = CollectFixture({});
  EXPECT_EQ(SampleValue(families, "node_network_info",
                        {{"address", "02:fc:00:00:00:01"},
                         {"broadcast", "ff:ff:ff:ff:ff:ff"},
                         {"device", "eth0"},
                         {"duplex", "unknown"},
                         {"ifalias", ""},
                         {"operstate", "up"}}),
            1);
  // lo has no duplex file (EINVAL live): the label is empty.
  EXPECT_EQ(SampleValue(families, "node_network_info",
                        {{"address", "00:00:00:00:00:00"},
                         {"broadcast", "00:00:00:00:00:00"},
                         {"device", "lo"},
                         {"duplex", ""},
                         {"ifalias", ""},
                         {"operstate", "unknown"}}),
            1);
}

TEST(NetclassCollectorTest, DeviceFilter) {
  NetclassOptions options;
  options.devices = *DeviceFilter::Make("", "^lo$");
  const Families families = CollectFixture(options);
  for (const auto& family : families) {
    for (const auto& device : test::LabelValues(family, "device")) {
      EXPECT_NE(device, "lo") << family.name;
    }
  }
  EXPECT_EQ(SampleValue(families, "node_network_up", {{"device", "eth0"}}), 1);
}

TEST(NetclassCollectorTest, MissingClassNetFails) {
  Paths paths;
  paths.sysfs = test::FixturePath("no-such-sysfs");
  NetclassCollector collector(paths, {});
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("no-such-sysfs"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace vitals::collectors
