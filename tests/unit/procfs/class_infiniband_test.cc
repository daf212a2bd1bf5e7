#include "procfs/class_infiniband.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

std::string Port(const std::string& device, const std::string& file) {
  return test::ReadFixture("sys/class/infiniband/" + device + "/ports/1/" + file);
}

TEST(ParseInfinibandTest, FixtureFiles) {
  // tests/fixtures/sys/class/infiniband (prometheus/procfs's hfi1_0 and mlx4_0).
  EXPECT_EQ(Port("mlx4_0", "state"), "4: ACTIVE\n");
  EXPECT_EQ(ParseInfinibandState(Port("mlx4_0", "state")), 4u);
  EXPECT_EQ(Port("hfi1_0", "phys_state"), "5: LinkUp\n");
  EXPECT_EQ(ParseInfinibandState(Port("hfi1_0", "phys_state")), 5u);
  // 100 Gb/s: 1e11 bits, 1.25e10 bytes per second.
  EXPECT_EQ(Port("hfi1_0", "rate"), "100 Gb/sec (4X EDR)\n");
  EXPECT_EQ(ParseInfinibandRate(Port("hfi1_0", "rate")), 12500000000u);
  EXPECT_EQ(ParseInfinibandRate(Port("mlx4_0", "rate")), 5000000000u);
  // port_rcv_data counts 4-byte words per lane.
  const std::string data = Port("mlx4_0", "counters/port_rcv_data");
  EXPECT_EQ(ParseInfinibandCounter(data, true), std::stoull(data) * 4);
  EXPECT_EQ(ParseInfinibandCounter(data, false), std::stoull(data));
}

TEST(ParseInfinibandTest, States) {
  EXPECT_EQ(ParseInfinibandState(" 1 :DOWN"), 1u);
  EXPECT_EQ(ParseInfinibandState("4:"), 4u);
  EXPECT_EQ(ParseInfinibandState("4294967295: X"), 4294967295u);
  for (const char* bad : {"", "\n", "ACTIVE", "4 ACTIVE", ": ACTIVE", "4: A: B", "-1: X", "+4: X",
                          "0x4: X", "4294967296: X", "4_0: X", "4.0: X"}) {
    EXPECT_FALSE(ParseInfinibandState(bad).has_value()) << bad;
  }
}

TEST(ParseInfinibandTest, Rates) {
  EXPECT_EQ(ParseInfinibandRate("2.5 Gb/sec (1X SDR)"), 312500000u);
  EXPECT_EQ(ParseInfinibandRate("14 Gb/sec"), 1750000000u);
  EXPECT_EQ(ParseInfinibandRate("  0 Gb/sec (4X)\n"), 0u);
  // Go's ParseFloat(s, 32): 0.1 is the float nearest it, 0.100000001490116...
  EXPECT_EQ(ParseInfinibandRate("0.1 Gb/sec"), 12500000u);
  EXPECT_EQ(ParseInfinibandRate("1e1 Gb/sec"), 1250000000u);
  for (const char* bad :
       {"", "100", "100 Gbps", "Gb/sec", "x Gb/sec", "100 Gb/sec Gb/sec", "-1 Gb/sec", "inf Gb/sec",
        "nan Gb/sec", "1e30 Gb/sec", "1 2 Gb/sec", "1,5 Gb/sec"}) {
    EXPECT_FALSE(ParseInfinibandRate(bad).has_value()) << bad;
  }
}

TEST(ParseInfinibandTest, Counters) {
  EXPECT_EQ(ParseInfinibandCounter("0\n", false), 0u);
  EXPECT_EQ(ParseInfinibandCounter("0x10\n", false), 16u);
  // 2^62 words are 2^64 bytes: wraps to 0 as Go's uint64 multiplication does.
  EXPECT_EQ(ParseInfinibandCounter("4611686018427387904", true), 0u);
  // Only the first 128 bytes are read.
  EXPECT_EQ(ParseInfinibandCounter(std::string(126, ' ') + "123", false), 12u);
  for (const char* bad : {"", "\n", "N/A (no PMA)\n", "-1", "12 34", "1.0", "garbage"}) {
    EXPECT_FALSE(ParseInfinibandCounter(bad, false).has_value()) << bad;
  }
}

TEST(ReadInfinibandDeviceTest, FixtureAndOddTrees) {
  FileCache files;
  const std::string dir = test::FixturePath("sys/class/infiniband");
  const auto mlx4 = ReadInfinibandDevice(files, dir, "mlx4_0");
  EXPECT_EQ(mlx4.board_id, "SM_1141000001000");
  EXPECT_EQ(mlx4.firmware_version, "2.31.5050");
  EXPECT_EQ(mlx4.hca_type, "MT4099");
  ASSERT_EQ(mlx4.ports.size(), 2u);
  EXPECT_EQ(mlx4.ports.at(2), "2");
  const auto hfi = ReadInfinibandDevice(files, dir, "hfi1_0");
  EXPECT_EQ(hfi.hca_type, "");  // No such file.
  EXPECT_EQ(hfi.ports.size(), 1u);

  test::TempDir tmp;
  test::WriteFile(tmp.path() / "ib0/ports/01/state", "4: ACTIVE\n");
  test::WriteFile(tmp.path() / "ib0/ports/x/state", "4: ACTIVE\n");
  test::WriteFile(tmp.path() / "ib0/ports/3/state", "4: ACTIVE\n");
  const auto odd = ReadInfinibandDevice(files, tmp.path().string(), "ib0");
  EXPECT_EQ(odd.board_id, "");
  ASSERT_EQ(odd.ports.size(), 2u);
  EXPECT_EQ(odd.ports.at(1), "01");
  EXPECT_EQ(odd.ports.at(3), "3");
  EXPECT_TRUE(ReadInfinibandDevice(files, tmp.path().string(), "none").ports.empty());
}

}  // namespace
}  // namespace vitals::procfs
