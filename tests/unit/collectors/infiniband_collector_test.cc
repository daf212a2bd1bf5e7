#include "collectors/infiniband_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;
using test::Value;

double Counter(const std::string& device, const std::string& port, const std::string& file) {
  return std::stod(
      test::ReadFixture("sys/class/infiniband/" + device + "/ports/" + port + "/" + file));
}

TEST(InfinibandCollectorTest, FixtureDevices) {
  InfinibandCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  // prometheus/procfs's hfi1_0 (one port, no hca_type) and mlx4_0 (two ports), and the
  // hand-written mlx5_0 with every counter.
  EXPECT_EQ(Value(families, "node_infiniband_info",
                  {{"device", "mlx4_0"},
                   {"board_id", "SM_1141000001000"},
                   {"firmware_version", "2.31.5050"},
                   {"hca_type", "MT4099"}}),
            1);
  EXPECT_EQ(Value(families, "node_infiniband_info",
                  {{"device", "hfi1_0"},
                   {"board_id",
                    "HPE 100Gb 1-port OP101 QSFP28 x16 PCIe Gen3 with Intel Omni-Path Adapter"},
                   {"firmware_version", "1.27.0"},
                   {"hca_type", ""}}),
            1);
  const test::LabelMap mlx4_2 = {{"device", "mlx4_0"}, {"port", "2"}};
  EXPECT_EQ(Value(families, "node_infiniband_state_id", mlx4_2), 4);
  EXPECT_EQ(Value(families, "node_infiniband_physical_state_id", mlx4_2), 5);
  EXPECT_EQ(Value(families, "node_infiniband_rate_bytes_per_second", mlx4_2), 40e9 / 8);
  EXPECT_EQ(Value(families, "node_infiniband_port_data_received_bytes_total", mlx4_2),
            4 * Counter("mlx4_0", "2", "counters/port_rcv_data"));
  EXPECT_EQ(Value(families, "node_infiniband_port_transmit_wait_total", mlx4_2),
            Counter("mlx4_0", "2", "counters/port_xmit_wait"));
  EXPECT_EQ(Value(families, "node_infiniband_vl15_dropped_total", mlx4_2),
            Counter("mlx4_0", "2", "counters/VL15_dropped"));
  const test::LabelMap mlx5 = {{"device", "mlx5_0"}, {"port", "1"}};
  EXPECT_EQ(Value(families, "node_infiniband_legacy_data_transmitted_bytes_total", mlx5),
            4 * Counter("mlx5_0", "1", "counters_ext/port_xmit_data_64"));
  EXPECT_EQ(Value(families, "node_infiniband_legacy_packets_transmitted_total", mlx5),
            Counter("mlx5_0", "1", "counters_ext/port_xmit_packets_64"));
  EXPECT_EQ(Value(families, "node_infiniband_unicast_packets_received_total", mlx5),
            Counter("mlx5_0", "1", "counters/unicast_rcv_packets"));
  // port_rcv_discards reads "N/A (no PMA)": no sample, as in node_exporter.
  EXPECT_FALSE(
      SampleValue(families, "node_infiniband_port_discards_received_total", mlx5).has_value());
  // Legacy counters only where counters_ext exists.
  EXPECT_FALSE(
      SampleValue(families, "node_infiniband_legacy_packets_received_total", mlx4_2).has_value());
}

TEST(InfinibandCollectorTest, NoDevicesPublishesNothingAndBadFilesAreSkipped) {
  test::TempDir dir;
  Paths paths;
  paths.sysfs = dir.path().string();
  {
    InfinibandCollector collector(paths);
    Families families;
    EXPECT_TRUE(collector.Collect({}, families).ok());
    EXPECT_TRUE(families.empty());
  }
  const auto port = dir.path() / "class/infiniband/ib0/ports/1";
  test::WriteFile(port / "state", "ACTIVE\n");
  test::WriteFile(port / "phys_state", "5: LinkUp\n");
  test::WriteFile(port / "rate", "fast\n");
  test::WriteFile(port / "counters/symbol_error", "0x10\n");
  test::WriteFile(port / "counters/link_downed", "lots\n");
  test::WriteFile(dir.path() / "class/infiniband/ib0/ports/first/state", "4: ACTIVE\n");
  InfinibandCollector collector(paths);
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  const test::LabelMap ib0 = {{"device", "ib0"}, {"port", "1"}};
  EXPECT_EQ(
      Value(families, "node_infiniband_info",
            {{"device", "ib0"}, {"board_id", ""}, {"firmware_version", ""}, {"hca_type", ""}}),
      1);
  EXPECT_EQ(Value(families, "node_infiniband_physical_state_id", ib0), 5);
  EXPECT_EQ(Value(families, "node_infiniband_symbol_error_total", ib0), 16);
  for (const char* name : {"node_infiniband_state_id", "node_infiniband_rate_bytes_per_second",
                           "node_infiniband_link_downed_total"}) {
    EXPECT_FALSE(SampleValue(families, name, ib0).has_value()) << name;
  }
  size_t samples = 0;
  for (const auto& family : families) samples += family.metric.size();
  EXPECT_EQ(samples, 3u);  // info, physical_state_id, symbol_error.
}

}  // namespace
}  // namespace vitals::collectors
