#include "collectors/netdev_collector.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "collectors/registry.h"
#include "procfs/net_dev.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

Families CollectFixture(const NetdevOptions& options) {
  NetdevCollector collector(test::FixturePaths(), options);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  return families;
}

TEST(NetdevCollectorTest, FixtureCountersForEveryInterface) {
  const Families families =
      CollectFixture(CollectorOptions::Defaults().Get<collectors::NetdevOptions>());
  // Independent reading of tests/fixtures/proc/net/dev: two headers, then one line each.
  const auto lines = test::Lines(test::ReadFixture("proc/net/dev"));
  ASSERT_EQ(lines.size(), 6u);
  for (size_t i = 2; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    const std::string device = test::Tokens(lines[i].substr(0, colon)).at(0);
    const auto counters = test::Tokens(lines[i].substr(colon + 1));
    for (size_t c = 0; c < 8; ++c) {
      const std::string receive =
          "node_network_receive_" + std::string(procfs::kNetDevReceiveColumns[c]) + "_total";
      const std::string transmit =
          "node_network_transmit_" + std::string(procfs::kNetDevTransmitColumns[c]) + "_total";
      EXPECT_EQ(SampleValue(families, receive, {{"device", device}}), std::stod(counters[c]))
          << receive << " " << device;
      EXPECT_EQ(SampleValue(families, transmit, {{"device", device}}), std::stod(counters[8 + c]))
          << transmit << " " << device;
    }
  }
  // Spot checks by name, as node_exporter publishes them.
  EXPECT_EQ(SampleValue(families, "node_network_receive_bytes_total", {{"device", "eth0"}}),
            55951770);
  EXPECT_EQ(SampleValue(families, "node_network_transmit_packets_total", {{"device", "eth0"}}),
            612);
  EXPECT_EQ(SampleValue(families, "node_network_transmit_colls_total", {{"device", "lo"}}), 0);
  EXPECT_EQ(SampleValue(families, "node_network_receive_multicast_total", {{"device", "lo"}}), 0);
  for (const auto& family : families) {
    EXPECT_EQ(family.type, prometheus::MetricType::Counter) << family.name;
  }
}

TEST(NetdevCollectorTest, ReceiveNohandlerFromSysfs) {
  const Families families =
      CollectFixture(CollectorOptions::Defaults().Get<collectors::NetdevOptions>());
  const auto* nohandler = test::FindFamily(families, "node_network_receive_nohandler_total");
  ASSERT_NE(nohandler, nullptr);
  // ifb1 is in /proc/net/dev but has no sys/class/net/ifb1 in the fixture.
  EXPECT_EQ(test::LabelValues(*nohandler, "device"),
            (std::vector<std::string>{"lo", "ifb0", "eth0"}));
  EXPECT_EQ(SampleValue(families, "node_network_receive_nohandler_total", {{"device", "eth0"}}), 0);
  EXPECT_EQ(SampleValue(families, "node_network_receive_bytes_total", {{"device", "ifb1"}}), 0);
}

TEST(NetdevCollectorTest, ExcludeFilter) {
  NetdevOptions options;
  options.devices = *DeviceFilter::Make("", "^(lo|ifb.*)$");
  const Families families = CollectFixture(options);
  const auto* bytes = test::FindFamily(families, "node_network_receive_bytes_total");
  ASSERT_NE(bytes, nullptr);
  EXPECT_EQ(test::LabelValues(*bytes, "device"), (std::vector<std::string>{"eth0"}));
  const auto* nohandler = test::FindFamily(families, "node_network_receive_nohandler_total");
  ASSERT_NE(nohandler, nullptr);
  EXPECT_EQ(test::LabelValues(*nohandler, "device"), (std::vector<std::string>{"eth0"}));
}

TEST(NetdevCollectorTest, IncludeFilter) {
  NetdevOptions options;
  options.devices = *DeviceFilter::Make("^ifb", "");
  const Families families = CollectFixture(options);
  const auto* bytes = test::FindFamily(families, "node_network_transmit_bytes_total");
  ASSERT_NE(bytes, nullptr);
  EXPECT_EQ(test::LabelValues(*bytes, "device"), (std::vector<std::string>{"ifb0", "ifb1"}));
}

}  // namespace
}  // namespace vitals::collectors
