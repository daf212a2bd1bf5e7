#include "procfs/vmstat.h"

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

const VmstatEntry* Find(const std::vector<VmstatEntry>& entries, std::string_view name) {
  for (const auto& entry : entries) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

TEST(ParseVmstatTest, FixtureValues) {
  const std::string text = ReadFixture("proc/vmstat");  // Names point into it.
  std::vector<VmstatEntry> entries;
  const Status status = ParseVmstat(text, entries);
  ASSERT_TRUE(status.ok()) << status.message();
  // "nr_free_pages 1227042", "pgfault 59409143" and "oom_kill 0" in the fixture.
  ASSERT_NE(Find(entries, "nr_free_pages"), nullptr);
  EXPECT_EQ(Find(entries, "nr_free_pages")->value, 1227042u);
  ASSERT_NE(Find(entries, "pgfault"), nullptr);
  EXPECT_EQ(Find(entries, "pgfault")->value, 59409143u);
  ASSERT_NE(Find(entries, "oom_kill"), nullptr);
  EXPECT_EQ(Find(entries, "oom_kill")->value, 0u);
  // The first and last lines: "nr_free_pages ..." and "nr_unstable 0".
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.front().name, "nr_free_pages");
  EXPECT_EQ(entries.back().name, "nr_unstable");
}

TEST(ParseVmstatTest, FixtureEveryLineMatches) {
  const std::string text = ReadFixture("proc/vmstat");
  std::vector<VmstatEntry> entries;
  ASSERT_TRUE(ParseVmstat(text, entries).ok());
  const auto lines = Lines(text);
  ASSERT_EQ(entries.size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto tokens = Tokens(lines[i]);
    SCOPED_TRACE(lines[i]);
    ASSERT_EQ(tokens.size(), 2u);
    EXPECT_EQ(entries[i].name, tokens[0]);
    EXPECT_EQ(entries[i].value, std::stoull(tokens[1]));
  }
}

TEST(ParseVmstatTest, InlineLinesAndReuse) {
  std::vector<VmstatEntry> entries = {{"stale", 1}};
  // Tabs and trailing blanks are separators; no final newline is fine.
  const Status status = ParseVmstat("pgfault 12\npswpin\t3  \npgpgin 0", entries);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(entries.size(), 3u);  // Cleared first.
  EXPECT_EQ(entries[0].name, "pgfault");
  EXPECT_EQ(entries[0].value, 12u);
  EXPECT_EQ(entries[1].name, "pswpin");
  EXPECT_EQ(entries[1].value, 3u);
  EXPECT_EQ(entries[2].name, "pgpgin");
  EXPECT_EQ(entries[2].value, 0u);
}

TEST(ParseVmstatTest, HugeValuesKeepAll64Bits) {
  std::vector<VmstatEntry> entries;
  // A counter that wrapped below zero prints as 2^64-1; 2^53+1 is the first integer a
  // double cannot hold.
  const Status status =
      ParseVmstat("nr_wrapped 18446744073709551615\nnr_big 9007199254740993\n", entries);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].value, 18446744073709551615ull);
  EXPECT_EQ(entries[1].value, 9007199254740993ull);
}

struct BadInput {
  const char* name;
  std::string_view text;  // A view: the NUL case needs its length.
  const char* says;       // A fragment the message must contain.
  // Readable test names in ctest and failure messages.
  friend void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }
};

class ParseVmstatBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseVmstatBadInputTest, IsAnError) {
  std::vector<VmstatEntry> entries;
  const Status status = ParseVmstat(GetParam().text, entries);
  EXPECT_FALSE(status.ok()) << "accepted: " << GetParam().text;
  EXPECT_NE(status.message().find(GetParam().says), std::string::npos) << status.message();
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseVmstatBadInputTest,
    ::testing::Values(
        BadInput{"Empty", "", "empty vmstat"},
        BadInput{"BlankLine", "pgfault 1\n\npgpgin 2\n", "line 2 (no field name)"},
        BadInput{"OnlyBlanks", "  \n", "line 1 (no field name)"},
        BadInput{"Garbage", "garbage\n", "line 1 (no value): 'garbage'"},
        BadInput{"TruncatedNoValue", "pgfault 12\npgmajfault", "line 2 (no value)"},
        BadInput{"TruncatedNameOnlyWithBlank", "pgfault 12\npgmajfault \n", "line 2 (no value)"},
        BadInput{"NonNumericValue", "pgfault lots\n", "not an unsigned 64-bit integer"},
        BadInput{"NegativeValue", "pgfault -5\n", "not an unsigned 64-bit integer"},
        BadInput{"PlusSign", "pgfault +5\n", "not an unsigned 64-bit integer"},
        BadInput{"FloatValue", "pgfault 1.5\n", "not an unsigned 64-bit integer"},
        BadInput{"HexValue", "pgfault 0x10\n", "not an unsigned 64-bit integer"},
        BadInput{"CarriageReturn", "pgfault 5\r\n", "not an unsigned 64-bit integer"},
        BadInput{"ValueOverflowsUint64", "pgfault 18446744073709551616\n",
                 "not an unsigned 64-bit integer"},
        BadInput{"ExtraField", "pgfault 5 7\n", "extra field"},
        BadInput{"MeminfoStyleColon", "pgfault: 5\n", "invalid field name"},
        BadInput{"NameWithDash", "pg-fault 5\n", "invalid field name"},
        BadInput{"NonAsciiName", "pgf\xc3\xa4ult 5\n", "invalid field name"},
        BadInput{"NulInName", std::string_view("pg\0fault 5\n", 11), "invalid field name"}),
    test::ParamName());

}  // namespace
}  // namespace vitals::procfs
