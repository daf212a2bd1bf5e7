#include "procfs/net_arp.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

using test::Lines;
using test::ReadFixture;
using test::Tokens;

TEST(ParseArpTest, FixtureEveryLine) {
  const std::string text = ReadFixture("proc/net/arp");
  std::vector<ArpEntry> entries = {{"stale", "stale", "stale"}};  // Cleared first.
  const Status status = ParseArp(text, entries);
  ASSERT_TRUE(status.ok()) << status.message();
  const auto lines = Lines(text);
  ASSERT_EQ(entries.size(), lines.size() - 1);  // After the header.
  for (size_t i = 1; i < lines.size(); ++i) {
    const auto tokens = Tokens(lines[i]);
    SCOPED_TRACE(lines[i]);
    ASSERT_EQ(tokens.size(), 6u);
    EXPECT_EQ(entries[i - 1].ip_address, tokens[0]);
    EXPECT_EQ(entries[i - 1].hw_address, tokens[3]);
    EXPECT_EQ(entries[i - 1].device, tokens[5]);
  }
  // The captured line and the hand-written incomplete one (flags 0x0).
  EXPECT_EQ(entries[0].ip_address, "192.0.2.1");
  EXPECT_EQ(entries[0].device, "eth0");
  EXPECT_EQ(entries[3].hw_address, "00:00:00:00:00:00");
}

TEST(ParseArpTest, HeaderAloneIsEmptyTable) {
  std::vector<ArpEntry> entries;
  ASSERT_TRUE(
      ParseArp("IP address       HW type     Flags       HW address            Mask     Device\n",
               entries)
          .ok());
  EXPECT_TRUE(entries.empty());
}

struct BadInput {
  const char* name;
  std::string_view text;
  const char* says;
  friend void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }
};

class ParseArpBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseArpBadInputTest, IsAnError) {
  std::vector<ArpEntry> entries;
  const Status status = ParseArp(GetParam().text, entries);
  EXPECT_FALSE(status.ok()) << "accepted: " << GetParam().text;
  EXPECT_NE(status.message().find(GetParam().says), std::string::npos) << status.message();
}

#define HEADER "IP address HW type Flags HW address Mask Device\n"
INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseArpBadInputTest,
    ::testing::Values(
        BadInput{"Empty", "", "empty arp"},
        BadInput{"Garbage", "garbage\n", "no 'IP address' header"},
        BadInput{"NoHeader", "192.0.2.1 0x1 0x2 02:fc:00:00:00:05 * eth0\n", "header"},
        BadInput{"Truncated", HEADER "192.0.2.1 0x1 0x2 02:fc:00:00:00:05 *",
                 "line 2 (fewer than 6 columns)"},
        BadInput{"BlankLine", HEADER "\n", "line 2 (fewer than 6 columns)"},
        BadInput{"ExtraColumn", HEADER "192.0.2.1 0x1 0x2 02:fc:00:00:00:05 * eth0 x\n",
                 "more than 6 columns"},
        BadInput{"FlagsNotHex", HEADER "192.0.2.1 0x1 2 02:fc:00:00:00:05 * eth0\n", "not 0x hex"},
        BadInput{"TypeGarbage", HEADER "192.0.2.1 0xzz 0x2 02:fc:00:00:00:05 * eth0\n",
                 "not 0x hex"}),
    test::ParamName());
#undef HEADER

}  // namespace
}  // namespace vitals::procfs
