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

TEST(CgroupIoStatTest, KernelDocumentationExampleSumsDevices) {
  const auto stat = ParseCgroupIoStat(test::ReadFixture("cgroup/io.stat"));
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->read_bytes, 1459200u + 90430464u);
  EXPECT_EQ(stat->written_bytes, 314773504u + 299008000u);
  EXPECT_EQ(stat->reads, 192u + 8950u);
  EXPECT_EQ(stat->writes, 353u + 1252u);
}

TEST(CgroupIoStatTest, EmptyOldKernelAndIocostLines) {
  const auto empty = ParseCgroupIoStat("");
  ASSERT_TRUE(empty.ok()) << empty.error();
  EXPECT_EQ(empty->read_bytes + empty->written_bytes + empty->reads + empty->writes, 0u);
  // Before 5.x there were no dbytes/dios; iocost adds cost.* keys; no trailing newline.
  const auto stat = ParseCgroupIoStat(
      "259:0 rbytes=10 wbytes=20 rios=1 wios=2\n"
      "8:0 rbytes=5 wbytes=6 rios=3 wios=4 dbytes=0 dios=0 cost.vrate=100.00 cost.usage=7");
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->read_bytes, 15u);
  EXPECT_EQ(stat->written_bytes, 26u);
  EXPECT_EQ(stat->reads, 4u);
  EXPECT_EQ(stat->writes, 6u);
}

TEST(CgroupIoStatTest, MalformedFailsNamingTheLine) {
  for (const char* bad : {"rbytes=1 wbytes=2\n", "8 rbytes=1\n", "8:x rbytes=1\n", "8:0 rbytes\n",
                          "8:0 rbytes=-1\n", "8:0 rbytes=1 rbytes=2\n",
                          "8:0 wbytes=18446744073709551616\n", "8:0 rbytes=1\n8:0 rbytes=2\n"}) {
    const auto stat = ParseCgroupIoStat(bad);
    ASSERT_FALSE(stat.ok()) << bad;
    EXPECT_NE(stat.error().find("io.stat line "), std::string::npos) << stat.error();
  }
}

}  // namespace
}  // namespace vitals::procfs
