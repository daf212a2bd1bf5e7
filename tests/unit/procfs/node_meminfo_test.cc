#include "procfs/node_meminfo.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

const NumaMemValue* Find(const std::vector<NumaMemValue>& all, const std::string& name) {
  for (const auto& v : all) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

TEST(ParseNodeMeminfoTest, FixtureLinesInBytesAndCounts) {
  const std::string text = test::ReadFixture("sys/devices/system/node/node1/meminfo");
  const auto parsed = ParseNodeMeminfo(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  ASSERT_EQ(parsed->size(), test::Lines(text).size());
  // "Node 1 Active(anon):     524288 kB"
  const auto* active_anon = Find(*parsed, "Active_anon");
  ASSERT_NE(active_anon, nullptr);
  EXPECT_EQ(active_anon->node, "1");
  EXPECT_EQ(active_anon->value, 524288.0 * 1024);
  // "Node 1 HugePages_Total:     8": no unit, a count.
  const auto* huge = Find(*parsed, "HugePages_Total");
  ASSERT_NE(huge, nullptr);
  EXPECT_EQ(huge->value, 8);
}

TEST(ParseNodeMeminfoTest, KeyCleaningAndBlankLines) {
  const auto parsed =
      ParseNodeMeminfo("\n  Node 3 Inactive(file)::  2 kB\r\nNode x Odd(a)(b): 1.5\n\n");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].name, "Inactive_file");
  EXPECT_EQ((*parsed)[0].node, "3");
  EXPECT_EQ((*parsed)[0].value, 2048);
  // Go's greedy `\((.*)\)`: from the first '(' to the last ')'.
  EXPECT_EQ((*parsed)[1].name, "Odd_a)(b");
  EXPECT_EQ((*parsed)[1].node, "x");
  EXPECT_EQ((*parsed)[1].value, 1.5);
  const auto empty = ParseNodeMeminfo("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(ParseNodeNumastatTest, FixtureCounters) {
  const std::string text = test::ReadFixture("sys/devices/system/node/node1/numastat");
  const auto parsed = ParseNodeNumastat(text, "1");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  ASSERT_EQ(parsed->size(), 6u);
  EXPECT_EQ((*parsed)[0].name, "numa_hit_total");
  EXPECT_EQ((*parsed)[0].node, "1");
  EXPECT_EQ((*parsed)[0].value, 12345678);
  EXPECT_EQ((*parsed)[5].name, "other_node_total");
}

struct BadInput {
  const char* name;
  const char* text;
  friend void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }
};

class ParseNodeMeminfoBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseNodeMeminfoBadInputTest, IsAnError) {
  EXPECT_FALSE(ParseNodeMeminfo(GetParam().text).ok()) << GetParam().text;
}

// node_exporter fails its whole collector on each of these.
INSTANTIATE_TEST_SUITE_P(Malformed, ParseNodeMeminfoBadInputTest,
                         ::testing::Values(BadInput{"Truncated", "Node 0 MemTotal:\n"},
                                           BadInput{"NotANumber", "Node 0 MemTotal: many kB\n"},
                                           BadInput{"OtherUnit", "Node 0 MemTotal: 5 MB\n"},
                                           BadInput{"TooManyFields",
                                                    "Node 0 MemTotal: 5 kB extra\n"},
                                           BadInput{"Garbage", "\x01\x02\x03\n"}),
                         test::ParamName());

class ParseNodeNumastatBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseNodeNumastatBadInputTest, IsAnError) {
  EXPECT_FALSE(ParseNodeNumastat(GetParam().text, "0").ok()) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(Malformed, ParseNodeNumastatBadInputTest,
                         ::testing::Values(BadInput{"Truncated", "numa_hit\n"},
                                           BadInput{"NotANumber", "numa_hit lots\n"},
                                           BadInput{"ThreeFields", "numa_hit 1 2\n"}),
                         test::ParamName());

TEST(ListNumaNodesTest, GlobOrderAndNumbers) {
  test::TempDir dir;
  for (const char* name : {"node10", "node2", "node1x", "nodes", "node", "possible"}) {
    test::WriteFile(dir.path() / "devices/system/node" / name / "meminfo", "");
  }
  const auto nodes = ListNumaNodes(dir.path().string());
  ASSERT_TRUE(nodes.ok()) << nodes.error();
  ASSERT_EQ(nodes->size(), 3u);
  EXPECT_EQ((*nodes)[0].number, "10");
  EXPECT_EQ((*nodes)[1].number, "1");  // "node1x": Go's glob node[0-9]* takes it.
  EXPECT_EQ((*nodes)[2].number, "2");
  const auto none = ListNumaNodes(dir.Sub("no-such"));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace vitals::procfs
