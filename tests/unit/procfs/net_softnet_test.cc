#include "procfs/net_softnet.h"

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

TEST(ParseSoftnetTest, FixtureEveryLine) {
  const std::string text = ReadFixture("proc/net/softnet_stat");
  std::vector<SoftnetStat> stats = {{1, 2, 3}};  // Cleared first.
  const Status status = ParseSoftnet(text, stats);
  ASSERT_TRUE(status.ok()) << status.message();
  const auto lines = Lines(text);
  ASSERT_EQ(stats.size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto tokens = Tokens(lines[i]);
    SCOPED_TRACE(lines[i]);
    ASSERT_GE(tokens.size(), 9u);
    EXPECT_EQ(stats[i].processed, std::stoul(tokens[0], nullptr, 16));
    EXPECT_EQ(stats[i].dropped, std::stoul(tokens[1], nullptr, 16));
    EXPECT_EQ(stats[i].time_squeezed, std::stoul(tokens[2], nullptr, 16));
  }
}

TEST(ParseSoftnetTest, FixtureValues) {
  const std::string text = ReadFixture("proc/net/softnet_stat");
  std::vector<SoftnetStat> stats;
  ASSERT_TRUE(ParseSoftnet(text, stats).ok());
  // Captured: "000f54d2 00000000 00000000 ..." (15 columns) and "0007df2f 00000000 00000002
  // ..."; hand-written: "ffffffff 00000010 0000000a ..." (13 columns) and "00000100
  // 00000001 00000002 ..." (9 columns).
  ASSERT_EQ(stats.size(), 4u);
  EXPECT_EQ(stats[0].processed, 0xf54d2u);
  EXPECT_EQ(stats[1].time_squeezed, 2u);
  EXPECT_EQ(stats[2].processed, 0xffffffffu);
  EXPECT_EQ(stats[2].dropped, 0x10u);
  EXPECT_EQ(stats[2].time_squeezed, 0xau);
  EXPECT_EQ(stats[3].processed, 0x100u);
}

struct BadInput {
  const char* name;
  std::string_view text;
  const char* says;
  friend void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }
};

class ParseSoftnetBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseSoftnetBadInputTest, IsAnError) {
  std::vector<SoftnetStat> stats;
  const Status status = ParseSoftnet(GetParam().text, stats);
  EXPECT_FALSE(status.ok()) << "accepted: " << GetParam().text;
  EXPECT_NE(status.message().find(GetParam().says), std::string::npos) << status.message();
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseSoftnetBadInputTest,
    ::testing::Values(
        BadInput{"Empty", "", "empty softnet_stat"},
        BadInput{"Garbage", "garbage\n", "line 1 (a column is not 32-bit hex)"},
        BadInput{"Truncated", "00000001 00000000 00000000 00000000 00000000 00000000 00000000\n",
                 "line 1 (fewer than 9 columns)"},
        BadInput{"BlankLine", "1 0 0 0 0 0 0 0 0\n\n", "line 2 (fewer than 9 columns)"},
        BadInput{"NineHexDigits", "100000000 0 0 0 0 0 0 0 0\n", "not 32-bit hex"},
        BadInput{"Negative", "-1 0 0 0 0 0 0 0 0\n", "not 32-bit hex"},
        BadInput{"HexPrefix", "0x1 0 0 0 0 0 0 0 0\n", "not 32-bit hex"},
        BadInput{"CarriageReturn", "1 0 0 0 0 0 0 0 0\r\n", "not 32-bit hex"}),
    test::ParamName());

}  // namespace
}  // namespace vitals::procfs
