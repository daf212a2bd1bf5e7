#include "procfs/cgroup.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(CgroupCpuStatTest, CapturedFile) {
  // The root of a hybrid host's unified tree; the values are read back from the text.
  const std::string text = test::ReadFixture("sys/fs/cgroup/unified/cpu.stat");
  const auto lines = test::Lines(text);
  ASSERT_GE(lines.size(), 3u);
  const auto stat = ParseCgroupCpuStat(text);
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->usage_usec, std::stoull(test::Tokens(lines[0])[1]));
  EXPECT_EQ(stat->user_usec, std::stoull(test::Tokens(lines[1])[1]));
  EXPECT_EQ(stat->system_usec, std::stoull(test::Tokens(lines[2])[1]));
}

TEST(CgroupCpuStatTest, CpuControllerLinesAndNoTrailingNewline) {
  const auto stat = ParseCgroupCpuStat(
      "usage_usec 30\nuser_usec 20\nsystem_usec 10\nnr_periods 0\nnr_throttled 0\n"
      "throttled_usec 0\nnr_bursts 0\nburst_usec 0");
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->usage_usec, 30u);
  EXPECT_EQ(stat->user_usec, 20u);
  EXPECT_EQ(stat->system_usec, 10u);
}

TEST(CgroupCpuStatTest, MalformedFails) {
  for (const char* bad :
       {"", "usage_usec 1\nuser_usec 2\n", "usage_usec\nuser_usec 2\nsystem_usec 3\n",
        "usage_usec -1\nuser_usec 2\nsystem_usec 3\n",
        "usage_usec 1 2\nuser_usec 2\nsystem_usec 3\n",
        "usage_usec 1\nuser_usec 2\nsystem_usec 3\nuser_usec 4\n",
        "usage_usec 18446744073709551616\nuser_usec 2\nsystem_usec 3\n"}) {
    EXPECT_FALSE(ParseCgroupCpuStat(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace vitals::procfs
