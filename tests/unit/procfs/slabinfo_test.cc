#include "procfs/slabinfo.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(ParseSlabinfoTest, FixtureCaches) {
  // tests/fixtures/proc/slabinfo (prometheus/procfs's): the version line, the header, then
  // one line per cache.
  const std::string text = test::ReadFixture("proc/slabinfo");
  const auto slabs = ParseSlabinfo(text);
  ASSERT_TRUE(slabs.ok()) << slabs.error();
  const auto lines = test::Lines(text);
  ASSERT_EQ(slabs->size(), lines.size() - 2);
  // Independent reading of each line's first six fields.
  for (size_t i = 0; i < slabs->size(); ++i) {
    const auto tokens = test::Tokens(lines[i + 2]);
    ASSERT_EQ(tokens.size(), 16u) << lines[i + 2];
    const Slab& slab = (*slabs)[i];
    EXPECT_EQ(slab.name, tokens[0]);
    EXPECT_EQ(slab.active_objects, std::stoll(tokens[1]));
    EXPECT_EQ(slab.objects, std::stoll(tokens[2]));
    EXPECT_EQ(slab.object_size, std::stoll(tokens[3]));
    EXPECT_EQ(slab.objects_per_slab, std::stoll(tokens[4]));
    EXPECT_EQ(slab.pages_per_slab, std::stoll(tokens[5]));
  }
  // "pid_3                375    532    576   28    4 : tunables ..."
  EXPECT_EQ((*slabs)[0].name, "pid_3");
  EXPECT_EQ((*slabs)[0].objects, 532);
}

TEST(ParseSlabinfoTest, SignsTabsAndEmptyText) {
  const auto slabs = ParseSlabinfo(
      "x  slabinfo - version: 2.1 x\n"
      "kmalloc-8\t+3 -1 8 512 1 : tunables 0 0 0 : slabdata 1 1 0\r\n");
  ASSERT_TRUE(slabs.ok()) << slabs.error();
  ASSERT_EQ(slabs->size(), 1u);
  EXPECT_EQ((*slabs)[0].active_objects, 3);
  EXPECT_EQ((*slabs)[0].objects, -1);
  const auto empty = ParseSlabinfo("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

struct BadInput {
  const char* name;
  const char* text;
  friend void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }
};

class ParseSlabinfoBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseSlabinfoBadInputTest, IsAnError) {
  EXPECT_FALSE(ParseSlabinfo(GetParam().text).ok()) << GetParam().text;
}

// procfs fails the whole file on each of these, and node_exporter's collector with it.
INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseSlabinfoBadInputTest,
    ::testing::Values(
        BadInput{"Truncated", "pid_3 375 532 576 28 4 : tunables 0 0 0 : slabdata 19 19\n"},
        BadInput{"BlankLine", "pid_3 375 532 576 28 4 : tunables 0 0 0 : slabdata 19 19 0\n\n"},
        BadInput{"LeadingSpace", " pid_3 375 532 576 28 4 : tunables 0 0 0 : slabdata 19 19 0\n"},
        BadInput{"NotANumber", "pid_3 x 532 576 28 4 : tunables 0 0 0 : slabdata 19 19 0\n"},
        BadInput{"BadSlabdata", "pid_3 1 532 576 28 4 : tunables 0 0 0 : slabdata 19 19 z\n"},
        BadInput{"HexIsNotBase10", "pid_3 0x1 2 3 4 5 : tunables 0 0 0 : slabdata 1 1 0\n"},
        BadInput{"Garbage", "\x01\x02 garbage\n"}),
    test::ParamName());

}  // namespace
}  // namespace vitals::procfs
