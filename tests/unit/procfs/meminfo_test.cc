#include "procfs/meminfo.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

using test::Lines;
using test::ReadFixture;
using test::Tokens;

const MeminfoEntry* Find(const std::vector<MeminfoEntry>& entries, std::string_view key) {
  for (const auto& entry : entries) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

TEST(ParseMeminfoTest, ConvertsKbToBytes) {
  const std::string text = ReadFixture("proc/meminfo");  // Keys point into it.
  std::vector<MeminfoEntry> entries;
  const Status status = ParseMeminfo(text, entries);
  ASSERT_TRUE(status.ok()) << status.message();
  // "MemTotal:       24684084 kB" and "Active(anon):       1504 kB" in the fixture.
  const auto* total = Find(entries, "MemTotal");
  ASSERT_NE(total, nullptr);
  EXPECT_TRUE(total->has_unit);
  EXPECT_EQ(total->value, 24684084ull * 1024);
  const auto* active_anon = Find(entries, "Active(anon)");
  ASSERT_NE(active_anon, nullptr);
  EXPECT_EQ(active_anon->value, 1504ull * 1024);
  // "VmallocTotal:   34359738367 kB": the largest value in the file.
  const auto* vmalloc = Find(entries, "VmallocTotal");
  ASSERT_NE(vmalloc, nullptr);
  EXPECT_EQ(vmalloc->value, 34359738367ull * 1024);
}

TEST(ParseMeminfoTest, CountsWithoutUnitStayCounts) {
  const std::string text = ReadFixture("proc/meminfo");
  std::vector<MeminfoEntry> entries;
  ASSERT_TRUE(ParseMeminfo(text, entries).ok());
  const auto* huge_total = Find(entries, "HugePages_Total");
  ASSERT_NE(huge_total, nullptr);
  EXPECT_FALSE(huge_total->has_unit);
  EXPECT_EQ(huge_total->value, 0u);
}

TEST(ParseMeminfoTest, FixtureEveryLineMatches) {
  const std::string text = ReadFixture("proc/meminfo");
  std::vector<MeminfoEntry> entries;
  ASSERT_TRUE(ParseMeminfo(text, entries).ok());
  const auto lines = Lines(text);
  ASSERT_EQ(entries.size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto tokens = Tokens(lines[i]);
    SCOPED_TRACE(lines[i]);
    ASSERT_GE(tokens.size(), 2u);
    EXPECT_EQ(std::string(entries[i].key) + ":", tokens[0]);
    const bool kb = tokens.size() == 3 && tokens[2] == "kB";
    EXPECT_EQ(entries[i].has_unit, kb);
    EXPECT_EQ(entries[i].value, std::stoull(tokens[1]) * (kb ? 1024 : 1));
  }
}

TEST(ParseMeminfoTest, InlineLinesAndReuse) {
  std::vector<MeminfoEntry> entries = {{"Stale", 1, false}};
  const Status status = ParseMeminfo("MemFree:   7 kB\n\nHugePages_Free:  3\n", entries);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(entries.size(), 2u);  // Cleared first; blank lines skipped.
  EXPECT_EQ(entries[0].key, "MemFree");
  EXPECT_EQ(entries[0].value, 7168u);
  EXPECT_EQ(entries[1].key, "HugePages_Free");
  EXPECT_EQ(entries[1].value, 3u);
  EXPECT_FALSE(entries[1].has_unit);
}

TEST(ParseMeminfoTest, LargestKbValueThatFits) {
  std::vector<MeminfoEntry> entries;
  // UINT64_MAX / 1024 = 18014398509481983 kB still fits in bytes.
  const Status status = ParseMeminfo("Big: 18014398509481983 kB\n", entries);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(entries[0].value, 18014398509481983ull * 1024);
}

struct BadInput {
  const char* name;
  const char* text;
  // Readable test names in ctest and failure messages.
  friend void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }
};

class ParseMeminfoBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseMeminfoBadInputTest, IsAnError) {
  std::vector<MeminfoEntry> entries;
  const Status status = ParseMeminfo(GetParam().text, entries);
  EXPECT_FALSE(status.ok()) << "accepted: " << GetParam().text;
  EXPECT_FALSE(status.message().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseMeminfoBadInputTest,
    ::testing::Values(BadInput{"Empty", ""}, BadInput{"BlankLines", "\n  \n"},
                      BadInput{"Garbage", "garbage\n"}, BadInput{"NoColon", "MemTotal 1024 kB\n"},
                      BadInput{"EmptyKey", ": 5 kB\n"}, BadInput{"TruncatedNoValue", "MemTotal:\n"},
                      BadInput{"TruncatedMidFile", "MemTotal: 5 kB\nMemFree:"},
                      BadInput{"NonNumericValue", "MemTotal: lots kB\n"},
                      BadInput{"NegativeValue", "MemTotal: -5 kB\n"},
                      BadInput{"UnknownUnit", "MemTotal: 5 MB\n"},
                      BadInput{"ExtraColumn", "MemTotal: 5 kB 7\n"},
                      BadInput{"ValueOverflowsUint64", "MemTotal: 18446744073709551616\n"},
                      BadInput{"KbToBytesOverflowsUint64", "MemTotal: 18014398509481984 kB\n"},
                      BadInput{"MaxKbOverflowsUint64", "MemTotal: 18446744073709551615 kB\n"}),
    test::ParamName());

}  // namespace
}  // namespace vitals::procfs
