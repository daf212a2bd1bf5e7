#include "procfs/proc_cgroups.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

// tests/fixtures/proc/cgroups: captured on this VM (cgroup v1 controllers).
TEST(ParseProcCgroupsTest, Fixture) {
  const std::string text = test::ReadFixture("proc/cgroups");
  const auto summaries = ParseProcCgroups(text);
  ASSERT_TRUE(summaries.ok()) << summaries.error();
  const auto lines = test::Lines(text);
  ASSERT_EQ(summaries->size(), lines.size() - 1);  // Less the "#subsys_name" header.
  for (size_t i = 0; i < summaries->size(); ++i) {
    const auto tokens = test::Tokens(lines[i + 1]);
    EXPECT_EQ((*summaries)[i].subsys_name, tokens[0]);
    EXPECT_EQ((*summaries)[i].hierarchy, std::stoll(tokens[1]));
    EXPECT_EQ((*summaries)[i].cgroups, std::stoll(tokens[2]));
    EXPECT_EQ((*summaries)[i].enabled, std::stoll(tokens[3]));
  }
}

TEST(ParseProcCgroupsTest, ExtraFieldsAndSignsAreAccepted) {
  const auto summaries = ParseProcCgroups("# comment\nmemory\t4\t+126\t-1\textra\n");
  ASSERT_TRUE(summaries.ok()) << summaries.error();
  ASSERT_EQ(summaries->size(), 1u);
  EXPECT_EQ((*summaries)[0].cgroups, 126);
  EXPECT_EQ((*summaries)[0].enabled, -1);
  EXPECT_TRUE(ParseProcCgroups("").ok());
}

// prometheus/procfs skips a line only when '#' is its first byte; an indented "#x" is a
// subsystem named "#x" (found by fuzz_proc_cgroups).
TEST(ParseProcCgroupsTest, OnlyALineStartingWithHashIsAComment) {
  const auto summaries = ParseProcCgroups("\t#r\t33\t+2\t+0\n");
  ASSERT_TRUE(summaries.ok()) << summaries.error();
  ASSERT_EQ(summaries->size(), 1u);
  EXPECT_EQ((*summaries)[0].subsys_name, "#r");
  EXPECT_EQ((*summaries)[0].hierarchy, 33);
}

TEST(ParseProcCgroupsTest, MalformedFails) {
  for (const char* bad :
       {"\n", "memory 4 126\n", "memory 4 x 1\n", "memory 0x4 1 1\n", "memory 4 1_0 1\n",
        " #memory 4 1 1\nbad\n", "memory 4 99999999999999999999 1\n"}) {
    EXPECT_FALSE(ParseProcCgroups(bad).ok()) << bad;
  }
  const std::string text = test::ReadFixture("proc/cgroups");
  EXPECT_FALSE(ParseProcCgroups(text.substr(0, text.find('\t', 40))).ok());  // Cut mid-line.
}

}  // namespace
}  // namespace vitals::procfs
