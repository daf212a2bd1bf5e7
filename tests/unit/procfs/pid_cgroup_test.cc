#include "procfs/pid_cgroup.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(ParsePidCgroupPathsTest, CapturedHybridHierarchy) {
  // tests/fixtures/pid/cgroup/hybrid: nine v1 hierarchies, then the v2 "0::/" line.
  const std::string text = test::ReadFixture("pid/cgroup/hybrid");
  const auto paths = ParsePidCgroupPaths(text);
  ASSERT_TRUE(paths.ok()) << paths.error();
  std::vector<std::string> expected;
  for (const auto& line : test::Lines(text)) {
    expected.push_back(line.substr(line.find(':', line.find(':') + 1) + 1));
  }
  EXPECT_EQ(*paths, expected);
  ASSERT_EQ(paths->size(), 10u);
  EXPECT_EQ(paths->back(), "/");
}

TEST(ParsePidCgroupPathsTest, PathMayContainColons) {
  const auto paths = ParsePidCgroupPaths("0::/a:b/c\n");
  ASSERT_TRUE(paths.ok()) << paths.error();
  EXPECT_EQ(*paths, std::vector<std::string>{"/a:b/c"});
}

TEST(ParsePidCgroupPathsTest, EmptyAndMalformed) {
  const auto empty = ParsePidCgroupPaths("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  EXPECT_FALSE(ParsePidCgroupPaths("0:/\n").ok());
  EXPECT_FALSE(ParsePidCgroupPaths("garbage\n").ok());
}

}  // namespace
}  // namespace vitals::procfs
