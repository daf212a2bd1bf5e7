#include "procfs/go_text.h"

#include <gtest/gtest.h>

#include <string>

namespace vitals::procfs {
namespace {

TEST(GoTextTest, ParseGoIntBase0WithSign) {
  EXPECT_EQ(ParseGoIntBase0("42"), 42);
  EXPECT_EQ(ParseGoIntBase0("-5"), -5);
  EXPECT_EQ(ParseGoIntBase0("+0x10"), 16);
  EXPECT_EQ(ParseGoIntBase0("010"), 8);
  EXPECT_EQ(ParseGoIntBase0("0b11"), 3);
  EXPECT_EQ(ParseGoIntBase0("1_000"), 1000);
  EXPECT_EQ(ParseGoIntBase0("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(ParseGoIntBase0("-9223372036854775808"), INT64_MIN);
  for (const char* bad : {"", "-", "+-1", " 1", "1 ", "9223372036854775808", "-9223372036854775809",
                          "08", "1__0", "_1", "0x", "abc", "1.0"}) {
    EXPECT_FALSE(ParseGoIntBase0(bad).has_value()) << bad;
  }
}

TEST(GoTextTest, ParseGoUint32) {
  EXPECT_EQ(ParseGoUint32("4294967295"), 4294967295u);
  EXPECT_EQ(ParseGoUint32("0xff"), 255u);
  for (const char* bad : {"4294967296", "-1", "+1", "", " 1"}) {
    EXPECT_FALSE(ParseGoUint32(bad).has_value()) << bad;
  }
}

TEST(GoTextTest, ParseGoHex64) {
  EXPECT_EQ(ParseGoHex64("00000014"), 0x14u);
  EXPECT_EQ(ParseGoHex64("FFFFFFFFFFFFFFFF"), UINT64_MAX);
  for (const char* bad : {"", "0x10", "10000000000000000", "-1", "g", "1_0", " 1"}) {
    EXPECT_FALSE(ParseGoHex64(bad).has_value()) << bad;
  }
}

TEST(GoTextTest, FieldsAndLines) {
  EXPECT_EQ(GoFields(" a\tb  c\n"), (std::vector<std::string_view>{"a", "b", "c"}));
  EXPECT_TRUE(GoFields(" \t\n").empty());
  EXPECT_EQ(GoTrimSpace(" \tx y\r\n"), "x y");
  GoLines lines("one\r\n\ntwo");
  std::string_view line;
  ASSERT_TRUE(lines.Next(line));
  EXPECT_EQ(line, "one");
  ASSERT_TRUE(lines.Next(line));
  EXPECT_EQ(line, "");
  ASSERT_TRUE(lines.Next(line));
  EXPECT_EQ(line, "two");
  EXPECT_FALSE(lines.Next(line));
  EXPECT_FALSE(lines.too_long());
  const std::string longest(65535, 'x');
  const std::string fits_text = longest + "\n";  // GoLines keeps a view: the text must live.
  GoLines fits(fits_text);
  ASSERT_TRUE(fits.Next(line));
  EXPECT_EQ(line.size(), 65535u);
  const std::string over_text = longest + "x\nnext\n";
  GoLines over(over_text);
  EXPECT_FALSE(over.Next(line));
  EXPECT_TRUE(over.too_long());
}

}  // namespace
}  // namespace vitals::procfs
