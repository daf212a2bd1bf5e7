#include "collectors/netclass_collector.h"

#include <gtest/gtest.h>

#include <optional>
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
  // sys/class/net has bond0, eth0, ifb0 and lo, listed in name order.
  EXPECT_EQ(test::LabelValues(*up, "device"),
            (std::vector<std::string>{"bond0", "eth0", "ifb0", "lo"}));
  // operstate: eth0 "up", ifb0 "down", lo "unknown".
  EXPECT_EQ(SampleValue(families, "node_network_up", {{"device", "eth0"}}), 1);
  EXPECT_EQ(SampleValue(families, "node_network_up", {{"device", "ifb0"}}), 0);
  EXPECT_EQ(SampleValue(families, "node_network_up", {{"device", "lo"}}), 0);
  // mtu files: 1400, 1500, 65536.
  EXPECT_EQ(SampleValue(families, "node_network_mtu_bytes", {{"device", "eth0"}}), 1400);
  EXPECT_EQ(SampleValue(families, "node_network_mtu_bytes", {{"device", "ifb0"}}), 1500);
  EXPECT_EQ(SampleValue(families, "node_network_mtu_bytes", {{"device", "lo"}}), 65536);
}

TEST(NetclassCollectorTest, NumericPropertiesAsNodeExporter) {
  const Families families = CollectFixture({});
  // tests/fixtures/sys/class/net/*/, captured 2026-12-03 (ifb0 netdev_group and
  // link_mode edited).
  struct Want {
    const char* family;
    const char* device;
    std::optional<double> value;
  };
  const Want wants[] = {
      {"node_network_address_assign_type", "ifb0", 1},
      {"node_network_carrier", "eth0", 1},
      {"node_network_carrier", "ifb0", std::nullopt},  // EINVAL live, no file.
      {"node_network_carrier_changes_total", "eth0", 2},
      {"node_network_carrier_up_changes_total", "eth0", 1},
      {"node_network_carrier_down_changes_total", "eth0", 1},
      {"node_network_device_id", "eth0", 0},  // "0x0"
      {"node_network_dormant", "lo", 0},
      {"node_network_flags", "eth0", 0x1003},  // "0x1003"
      {"node_network_flags", "ifb0", 0x82},
      {"node_network_flags", "lo", 9},
      {"node_network_iface_id", "eth0", 4},
      {"node_network_iface_link", "lo", 1},
      {"node_network_iface_link_mode", "eth0", 0},
      {"node_network_iface_link_mode", "ifb0", 0},  // "unknown": procfs's failed parse, 0.
      {"node_network_name_assign_type", "lo", 2},
      {"node_network_net_dev_group", "ifb0", 8},  // "010": octal, as strconv.ParseInt(s, 0, 64).
      {"node_network_net_dev_group", "eth0", 0},
      {"node_network_transmit_queue_length", "ifb0", 32},
      {"node_network_protocol_type", "lo", 772},
      {"node_network_protocol_type", "eth0", 1},
  };
  for (const auto& want : wants) {
    EXPECT_EQ(SampleValue(families, want.family, {{"device", want.device}}), want.value)
        << want.family << " " << want.device;
  }
  const auto* changes = test::FindFamily(families, "node_network_carrier_changes_total");
  ASSERT_NE(changes, nullptr);
  EXPECT_EQ(changes->type, prometheus::MetricType::Counter);
  EXPECT_EQ(changes->help, "Network device property: carrier_changes_total");
  const auto* flags = test::FindFamily(families, "node_network_flags");
  ASSERT_NE(flags, nullptr);
  EXPECT_EQ(flags->type, prometheus::MetricType::Gauge);
}

TEST(NetclassCollectorTest, BondingMastersIsNoInterface) {
  // sys/class/net/bonding_masters is a regular file in the fixture, as the bonding
  // driver makes it: no sample of any family may name it.
  const Families families = CollectFixture({});
  for (const auto& family : families) {
    for (const auto& device : test::LabelValues(family, "device")) {
      EXPECT_NE(device, "bonding_masters") << family.name;
    }
  }
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
