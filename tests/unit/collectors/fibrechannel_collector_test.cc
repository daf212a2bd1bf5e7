#include "collectors/fibrechannel_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;
using test::Value;

TEST(FibrechannelCollectorTest, FixtureHost) {
  FibrechannelCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 14u);
  // tests/fixtures/sys/class/fc_host/host0 (prometheus/procfs's): hexadecimal counters,
  // "0x"-prefixed names with the prefix dropped, node_name not published.
  EXPECT_EQ(
      Value(families, "node_fibrechannel_info",
            {{"fc_host", "host0"},
             {"dev_loss_tmo", "30"},
             {"fabric_name", "0"},
             {"port_id", "000002"},
             {"port_name", "1000e0071bce95f2"},
             {"port_state", "Online"},
             {"port_type", "Point-To-Point (direct nport connection)"},
             {"speed", "16 Gbit"},
             {"supported_classes", "Class 3"},
             {"supported_speeds", "4 Gbit, 8 Gbit, 16 Gbit"},
             {"symbolic_name", "Emulex SN1100E2P FV12.4.270.3 DV12.4.0.0. HN:gotest. OS:Linux"}}),
      1);
  const auto hex = [](const char* file) {
    return static_cast<double>(std::stoull(
        test::ReadFixture(std::string("sys/class/fc_host/host0/statistics/") + file), nullptr, 16));
  };
  EXPECT_EQ(Value(families, "node_fibrechannel_fcp_packet_aborts_total", {{"fc_host", "host0"}}),
            hex("fcp_packet_aborts"));
  EXPECT_EQ(Value(families, "node_fibrechannel_loss_of_signal_total", {{"fc_host", "host0"}}),
            hex("loss_of_signal_count"));
  EXPECT_EQ(
      Value(families, "node_fibrechannel_seconds_since_last_reset_total", {{"fc_host", "host0"}}),
      hex("seconds_since_last_reset"));
  EXPECT_EQ(test::FindFamily(families, "node_fibrechannel_dumped_frames_total"), nullptr);
}

TEST(FibrechannelCollectorTest, NoHostsAndBadCounter) {
  test::TempDir dir;
  Paths paths;
  paths.sysfs = dir.path().string();
  {
    FibrechannelCollector collector(paths);
    Families families;
    EXPECT_TRUE(collector.Collect({}, families).ok());
    EXPECT_TRUE(families.empty());
  }
  test::WriteFile(dir.path() / "class/fc_host/host7/port_state", "Linkdown\n");
  test::WriteFile(dir.path() / "class/fc_host/host7/statistics/rx_frames", "0x1_0\n");
  test::WriteFile(dir.path() / "class/fc_host/host7/statistics/tx_frames", "n/a\n");
  FibrechannelCollector collector(paths);
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  EXPECT_EQ(Value(families, "node_fibrechannel_rx_frames_total", {{"fc_host", "host7"}}), 16);
  EXPECT_FALSE(SampleValue(families, "node_fibrechannel_tx_frames_total", {{"fc_host", "host7"}})
                   .has_value());
  const auto* info = test::FindFamily(families, "node_fibrechannel_info");
  ASSERT_NE(info, nullptr);
  ASSERT_EQ(info->metric.size(), 1u);
  EXPECT_EQ(test::Labels(info->metric[0]).at("port_state"), "Linkdown");
  EXPECT_EQ(test::Labels(info->metric[0]).at("speed"), "");
}

}  // namespace
}  // namespace vitals::collectors
