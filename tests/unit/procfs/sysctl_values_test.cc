#include "procfs/sysctl_values.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(SysctlValuesTest, FieldsOfTheFixture) {
  EXPECT_EQ(SysctlFields(test::ReadFixture("proc/sys/fs/file-nr")),
            (std::vector<std::string>{"968", "0", "2466097"}));
  EXPECT_EQ(SysctlFields(test::ReadFixture("proc/sys/kernel/seccomp/actions_avail")).size(), 7u);
}

TEST(SysctlValuesTest, OnlyTheFirst128BytesCount) {
  // util.SysReadFile reads once into 128 bytes: a field across the edge is cut.
  const std::string text = std::string(120, ' ') + "12345678901234\n";
  EXPECT_EQ(SysctlFields(text), (std::vector<std::string>{"12345678"}));
  EXPECT_TRUE(SysctlFields("").empty());
  EXPECT_TRUE(SysctlFields(" \n\t").empty());
}

TEST(SysctlValuesTest, PathReplacesEveryDot) {
  EXPECT_EQ(SysctlPath("kernel.random.entropy_avail"), "sys/kernel/random/entropy_avail");
  EXPECT_EQ(SysctlPath("net/ipv4/ip_forward"), "sys/net/ipv4/ip_forward");
  EXPECT_EQ(SysctlPath("a..b"), "sys/a//b");
}

}  // namespace
}  // namespace vitals::procfs
