#include "procfs/pressure.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>

#include "test_util.h"

namespace vitals::procfs {
namespace {

// "total=2218511438" -> 2218511438, read from the fixture text independently.
uint64_t TotalOf(const std::string& line) {
  const auto tokens = test::Tokens(line);
  EXPECT_EQ(tokens.size(), 5u) << line;
  EXPECT_EQ(tokens.back().rfind("total=", 0), 0u) << line;
  return std::stoull(tokens.back().substr(6));
}

class PressureFixtureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(PressureFixtureTest, SomeAndFullLines) {
  const std::string text = test::ReadFixture("proc/pressure/" + GetParam());
  const auto lines = test::Lines(text);
  ASSERT_EQ(lines.size(), 2u);
  ASSERT_EQ(lines[0].rfind("some ", 0), 0u);
  ASSERT_EQ(lines[1].rfind("full ", 0), 0u);
  const auto pressure = ParsePressure(text);
  ASSERT_TRUE(pressure.ok()) << pressure.error();
  ASSERT_TRUE(pressure->some.has_value());
  ASSERT_TRUE(pressure->full.has_value());
  EXPECT_EQ(pressure->some->total_us, TotalOf(lines[0]));
  EXPECT_EQ(pressure->full->total_us, TotalOf(lines[1]));
  const auto avg10 = test::Tokens(lines[0])[1];  // "avg10=99.38"
  EXPECT_EQ(pressure->some->avg10, std::stod(avg10.substr(6)));
}

INSTANTIATE_TEST_SUITE_P(Resources, PressureFixtureTest, ::testing::Values("cpu", "io", "memory"));

TEST(ParsePressureTest, SomeOnlyAsOnKernelsBefore5_13ForCpu) {
  const auto pressure =
      ParsePressure("some avg10=1.50 avg60=0.25 avg300=0.00 total=18446744073709551615\n");
  ASSERT_TRUE(pressure.ok()) << pressure.error();
  ASSERT_TRUE(pressure->some.has_value());
  EXPECT_FALSE(pressure->full.has_value());
  EXPECT_EQ(pressure->some->avg10, 1.5);
  EXPECT_EQ(pressure->some->avg60, 0.25);
  EXPECT_EQ(pressure->some->total_us, 18446744073709551615ull);
}

TEST(ParsePressureTest, UnknownKindIsSkipped) {
  const auto pressure = ParsePressure(
      "some avg10=0.00 avg60=0.00 avg300=0.00 total=7\n"
      "partial avg10=0.00 whatever\n"
      "full avg10=0.00 avg60=0.00 avg300=0.00 total=3");
  ASSERT_TRUE(pressure.ok()) << pressure.error();
  EXPECT_EQ(pressure->some->total_us, 7u);
  EXPECT_EQ(pressure->full->total_us, 3u);
}

struct BadInput {
  const char* name;
  std::string_view text;
  const char* says;
  friend void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }
};

class ParsePressureBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParsePressureBadInputTest, IsAnError) {
  const auto pressure = ParsePressure(GetParam().text);
  ASSERT_FALSE(pressure.ok()) << "accepted: " << GetParam().text;
  EXPECT_NE(pressure.error().find(GetParam().says), std::string::npos) << pressure.error();
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParsePressureBadInputTest,
    ::testing::Values(
        BadInput{"Empty", "", "empty pressure file"},
        BadInput{"BlankLine", "\n", "line 1 (blank line)"},
        BadInput{"Garbage", "some garbage\n", "line 1 (bad average)"},
        BadInput{"TruncatedBeforeTotal", "some avg10=0.00 avg60=0.00 avg300=0.00",
                 "line 1 (bad total)"},
        BadInput{"TruncatedTotal",
                 "some avg10=0.00 avg60=0.00 avg300=0.00 total=", "line 1 (bad total)"},
        BadInput{"NegativeTotal", "some avg10=0.00 avg60=0.00 avg300=0.00 total=-1\n", "bad total"},
        BadInput{"TotalOverflows",
                 "some avg10=0.00 avg60=0.00 avg300=0.00 total=18446744073709551616\n",
                 "bad total"},
        BadInput{"NanAverage", "some avg10=nan avg60=0.00 avg300=0.00 total=1\n", "bad average"},
        BadInput{"WrongOrder", "some avg60=0.00 avg10=0.00 avg300=0.00 total=1\n", "bad average"},
        BadInput{"ExtraField", "some avg10=0.00 avg60=0.00 avg300=0.00 total=1 x=2\n",
                 "extra field"},
        BadInput{"RepeatedSome",
                 "some avg10=0.00 avg60=0.00 avg300=0.00 total=1\n"
                 "some avg10=0.00 avg60=0.00 avg300=0.00 total=2\n",
                 "line 2 (repeated)"},
        BadInput{"SecondLineBad",
                 "some avg10=0.00 avg60=0.00 avg300=0.00 total=1\nfull avg10=0.00\n",
                 "line 2 (bad average)"}),
    test::ParamName());

}  // namespace
}  // namespace vitals::procfs
