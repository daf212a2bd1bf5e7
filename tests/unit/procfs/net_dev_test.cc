#include "procfs/net_dev.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(ParseNetDevTest, FixtureEveryInterfaceMatches) {
  const std::string text = test::ReadFixture("proc/net/dev");
  std::vector<NetDevStats> devices;
  const Status status = ParseNetDev(text, devices);
  ASSERT_TRUE(status.ok()) << status.message();

  // Independent reading: two header lines, then "name: 16 counters".
  const auto lines = test::Lines(text);
  ASSERT_EQ(devices.size(), lines.size() - 2);
  for (size_t i = 0; i < devices.size(); ++i) {
    std::string line = lines[i + 2];
    const size_t colon = line.find(':');
    ASSERT_NE(colon, std::string::npos);
    const auto name = test::Tokens(line.substr(0, colon));
    const auto counters = test::Tokens(line.substr(colon + 1));
    SCOPED_TRACE(line);
    ASSERT_EQ(counters.size(), 16u);
    EXPECT_EQ(devices[i].device, name.at(0));
    for (size_t c = 0; c < 8; ++c) {
      EXPECT_EQ(devices[i].receive[c], std::stoull(counters[c]));
      EXPECT_EQ(devices[i].transmit[c], std::stoull(counters[8 + c]));
    }
  }
}

TEST(ParseNetDevTest, FixtureEth0) {
  const std::string text = test::ReadFixture("proc/net/dev");  // Names point into it.
  std::vector<NetDevStats> devices;
  ASSERT_TRUE(ParseNetDev(text, devices).ok());
  ASSERT_EQ(devices.size(), 4u);  // lo, ifb0, ifb1, eth0.
  EXPECT_EQ(devices[0].device, "lo");
  EXPECT_EQ(devices[3].device, "eth0");
  EXPECT_EQ(devices[3].receive[0], 55951770u);  // Bytes.
  EXPECT_EQ(devices[3].receive[1], 1167u);      // Packets.
  EXPECT_EQ(devices[3].transmit[0], 51926u);
  EXPECT_EQ(devices[3].transmit[1], 612u);
}

TEST(ParseNetDevTest, InlineWithoutSpaceAfterColon) {
  // Old kernels print "eth0:123" with no space once the byte count gets long.
  std::vector<NetDevStats> devices(5);
  const Status status = ParseNetDev(
      "Inter-|   Receive |  Transmit\n"
      " face |bytes packets|bytes packets\n"
      "  eth1:4294967296 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
      devices);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].device, "eth1");
  EXPECT_EQ(devices[0].receive[0], 4294967296u);
  EXPECT_EQ(devices[0].receive[7], 8u);
  EXPECT_EQ(devices[0].transmit[0], 9u);
  EXPECT_EQ(devices[0].transmit[7], 16u);
}

TEST(ParseNetDevTest, ExtraColumnsAreIgnored) {
  // Only 16 columns have a meaning; a longer line keeps them in place.
  std::vector<NetDevStats> devices;
  const Status status = ParseNetDev("eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n", devices);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].transmit[7], 16u);
}

TEST(ParseNetDevTest, EmptyAndHeaderOnlyHaveNoDevices) {
  std::vector<NetDevStats> devices;
  EXPECT_TRUE(ParseNetDev("", devices).ok());
  EXPECT_TRUE(devices.empty());
  EXPECT_TRUE(ParseNetDev("Inter-|   Receive |  Transmit\n face |bytes|bytes\n", devices).ok());
  EXPECT_TRUE(devices.empty());
}

struct BadInput {
  const char* name;
  const char* text;
  // Readable test names in ctest and failure messages.
  friend void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }
};

class ParseNetDevBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseNetDevBadInputTest, IsAnError) {
  std::vector<NetDevStats> devices;
  const Status status = ParseNetDev(GetParam().text, devices);
  EXPECT_FALSE(status.ok()) << "accepted: " << GetParam().text;
  EXPECT_FALSE(status.message().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseNetDevBadInputTest,
    ::testing::Values(
        BadInput{"Garbage", "garbage\n"},
        BadInput{"NoName", "  : 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"},
        BadInput{"NoCounters", "eth0:\n"}, BadInput{"TruncatedReceive", "eth0: 1 2 3\n"},
        BadInput{"TruncatedTransmit", "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n"},
        BadInput{"NonNumericCounter", "eth0: 1 2 3 4 5 6 7 8 9 ten 11 12 13 14 15 16\n"},
        BadInput{"NegativeCounter", "eth0: 1 2 3 4 5 6 7 8 9 -10 11 12 13 14 15 16\n"},
        BadInput{"CounterOverflowsUint64",
                 "eth0: 18446744073709551616 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"}),
    test::ParamName());

}  // namespace
}  // namespace vitals::procfs
