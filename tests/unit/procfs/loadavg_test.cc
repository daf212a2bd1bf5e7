#include "procfs/loadavg.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(ParseLoadavgTest, Fixture) {
  // tests/fixtures/proc/loadavg: "0.66 0.30 0.14 1/78 4451".
  const auto load = ParseLoadavg(test::ReadFixture("proc/loadavg"));
  ASSERT_TRUE(load.ok()) << load.error();
  EXPECT_DOUBLE_EQ(load->load1, 0.66);
  EXPECT_DOUBLE_EQ(load->load5, 0.30);
  EXPECT_DOUBLE_EQ(load->load15, 0.14);
}

TEST(ParseLoadavgTest, InlineWithoutTrailingNewlineOrTaskCounts) {
  const auto load = ParseLoadavg("12.50 3 0.01");
  ASSERT_TRUE(load.ok()) << load.error();
  EXPECT_DOUBLE_EQ(load->load1, 12.5);
  EXPECT_DOUBLE_EQ(load->load5, 3.0);
  EXPECT_DOUBLE_EQ(load->load15, 0.01);
}

TEST(ParseLoadavgTest, ExtraColumnsAfterTheThreeAveragesAreIgnored) {
  // The kernel prints two more columns (running/total tasks, last pid).
  const auto load = ParseLoadavg("1.00 2.00 3.00 4/500 12345 extra\n");
  ASSERT_TRUE(load.ok()) << load.error();
  EXPECT_DOUBLE_EQ(load->load15, 3.0);
}

struct BadInput {
  const char* name;
  const char* text;
  // Readable test names in ctest and failure messages.
  friend void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }
};

class ParseLoadavgBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseLoadavgBadInputTest, IsAnError) {
  const auto load = ParseLoadavg(GetParam().text);
  EXPECT_FALSE(load.ok()) << "accepted: " << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(Malformed, ParseLoadavgBadInputTest,
                         ::testing::Values(BadInput{"Empty", ""}, BadInput{"Newline", "\n"},
                                           BadInput{"TruncatedTwoValues", "0.66 0.30\n"},
                                           BadInput{"TruncatedOneValue", "0.66"},
                                           BadInput{"Garbage", "garbage"},
                                           BadInput{"NonNumericMiddle", "0.66 x 0.14 1/78 4451\n"},
                                           BadInput{"CommaDecimal", "0,66 0,30 0,14\n"},
                                           BadInput{"OutOfDoubleRange", "1e999 0.30 0.14\n"}),
                         test::ParamName());

}  // namespace
}  // namespace vitals::procfs
