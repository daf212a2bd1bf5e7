#include "base/text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vitals {
namespace {

TEST(NextLineTest, SplitsOnNewlineAndKeepsEmptyLines) {
  std::string_view text = "a b\n\nlast";
  EXPECT_EQ(NextLine(text), "a b");
  EXPECT_EQ(NextLine(text), "");
  EXPECT_EQ(NextLine(text), "last");
  EXPECT_TRUE(text.empty());
}

TEST(NextFieldTest, SkipsSpacesAndTabs) {
  std::string_view text = " \tone  two\tthree ";
  EXPECT_EQ(NextField(text), "one");
  EXPECT_EQ(NextField(text), "two");
  EXPECT_EQ(NextField(text), "three");
  EXPECT_EQ(NextField(text), "");
  EXPECT_EQ(NextField(text), "");
}

TEST(TrimTest, RemovesBlanksAndNewlinesAtBothEnds) {
  EXPECT_EQ(Trim(" \t x y \n\n"), "x y");
  EXPECT_EQ(Trim("\n"), "");
  EXPECT_EQ(Trim(""), "");
}

TEST(ParseU64Test, AcceptsOnlyAWholeUnsignedDecimal) {
  EXPECT_EQ(ParseU64("0"), 0u);
  EXPECT_EQ(ParseU64("18446744073709551615"), 18446744073709551615u);
  EXPECT_FALSE(ParseU64("18446744073709551616").has_value());  // Overflow is an error.
  EXPECT_FALSE(ParseU64("").has_value());
  EXPECT_FALSE(ParseU64("-1").has_value());
  EXPECT_FALSE(ParseU64("12a").has_value());
  EXPECT_FALSE(ParseU64(" 12").has_value());
  EXPECT_FALSE(ParseU64("+12").has_value());
}

TEST(ParseI64Test, AcceptsNegativeValues) {
  EXPECT_EQ(ParseI64("-1"), -1);
  EXPECT_EQ(ParseI64("9223372036854775807"), 9223372036854775807);
  EXPECT_FALSE(ParseI64("9223372036854775808").has_value());
  EXPECT_FALSE(ParseI64("").has_value());
  EXPECT_FALSE(ParseI64("1.5").has_value());
}

TEST(ParseDoubleTest, AcceptsDecimalsOnly) {
  EXPECT_EQ(ParseDouble("0.66"), 0.66);
  EXPECT_EQ(ParseDouble("3"), 3.0);
  EXPECT_FALSE(ParseDouble("").has_value());
  EXPECT_FALSE(ParseDouble("1.5x").has_value());
  EXPECT_FALSE(ParseDouble("1e999").has_value());
}

TEST(StartsWithTest, Prefixes) {
  EXPECT_TRUE(StartsWith("cpu0", "cpu"));
  EXPECT_TRUE(StartsWith("cpu", "cpu"));
  EXPECT_TRUE(StartsWith("x", ""));
  EXPECT_FALSE(StartsWith("cp", "cpu"));
  EXPECT_FALSE(StartsWith("xcpu", "cpu"));
}

}  // namespace
}  // namespace vitals
