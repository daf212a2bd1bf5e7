#include "procfs/sysctl.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

class SysctlFixtureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SysctlFixtureTest, ParsesTheCapturedValue) {
  const std::string text = test::ReadFixture(GetParam());
  const auto tokens = test::Tokens(text);
  ASSERT_EQ(tokens.size(), 1u);
  const auto value = ParseSysctlUint(text);
  ASSERT_TRUE(value.ok()) << value.error();
  EXPECT_EQ(*value, std::stoull(tokens[0]));
}

INSTANTIATE_TEST_SUITE_P(Files, SysctlFixtureTest,
                         ::testing::Values("proc/sys/kernel/random/entropy_avail",
                                           "proc/sys/kernel/random/poolsize",
                                           "proc/sys/net/netfilter/nf_conntrack_count",
                                           "proc/sys/net/netfilter/nf_conntrack_max"));

TEST(ParseSysctlUintTest, TrimsWhiteSpaceLikeGo) {
  EXPECT_EQ(*ParseSysctlUint(" \t256\r\n\v\f"), 256u);
  EXPECT_EQ(*ParseSysctlUint("18446744073709551615\n"), 18446744073709551615ull);
  EXPECT_EQ(*ParseSysctlUint("0"), 0u);
}

TEST(ParseSysctlUintTest, RejectsAnythingElse) {
  for (const char* bad : {"", "\n", "  ", "-1\n", "+1\n", "1 2\n", "0x10\n", "1.5\n", "abc\n",
                          "18446744073709551616\n"}) {
    const auto value = ParseSysctlUint(bad);
    EXPECT_FALSE(value.ok()) << "accepted '" << bad << "'";
  }
  EXPECT_NE(ParseSysctlUint("").error().find("empty value"), std::string::npos);
  EXPECT_NE(ParseSysctlUint("abc\n").error().find("not an unsigned 64-bit integer: 'abc'"),
            std::string::npos);
}

}  // namespace
}  // namespace vitals::procfs
