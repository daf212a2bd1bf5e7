#include "collectors/device_filter.h"

#include <gtest/gtest.h>

#include <string>

namespace vitals::collectors {
namespace {

TEST(DeviceFilterTest, DefaultIgnoresNothing) {
  const DeviceFilter filter;
  EXPECT_FALSE(filter.Ignored("lo"));
  EXPECT_FALSE(filter.Ignored(""));
  const auto made = DeviceFilter::Make("", "");
  ASSERT_TRUE(made.ok()) << made.error();
  EXPECT_FALSE(made->Ignored("anything"));
}

TEST(DeviceFilterTest, IncludeKeepsOnlyMatches) {
  const auto filter = DeviceFilter::Make("^(eth|en)", "");
  ASSERT_TRUE(filter.ok()) << filter.error();
  EXPECT_EQ(filter->include(), "^(eth|en)");
  EXPECT_EQ(filter->exclude(), "");
  EXPECT_FALSE(filter->Ignored("eth0"));
  EXPECT_FALSE(filter->Ignored("enp3s0"));
  EXPECT_TRUE(filter->Ignored("lo"));
  EXPECT_TRUE(filter->Ignored("veth1"));  // Anchored: "eth" inside does not count.
}

TEST(DeviceFilterTest, ExcludeDropsMatches) {
  const auto filter = DeviceFilter::Make("", "^lo$");
  ASSERT_TRUE(filter.ok()) << filter.error();
  EXPECT_EQ(filter->exclude(), "^lo$");
  EXPECT_TRUE(filter->Ignored("lo"));
  EXPECT_FALSE(filter->Ignored("lo0"));
  EXPECT_FALSE(filter->Ignored("eth0"));
}

TEST(DeviceFilterTest, UnanchoredPatternMatchesAnywhere) {
  // Go's regexp.MatchString semantics, as in node_exporter.
  const auto filter = DeviceFilter::Make("", "veth");
  ASSERT_TRUE(filter.ok()) << filter.error();
  EXPECT_TRUE(filter->Ignored("veth12ab"));
  EXPECT_TRUE(filter->Ignored("br-veth"));
  EXPECT_FALSE(filter->Ignored("eth0"));
}

TEST(DeviceFilterTest, IncludeAndExcludeTogetherIsAnError) {
  const auto filter = DeviceFilter::Make("^eth", "^lo$");
  ASSERT_FALSE(filter.ok());
  EXPECT_NE(filter.error().find("mutually exclusive"), std::string::npos) << filter.error();
}

TEST(DeviceFilterTest, InvalidRegexIsAnError) {
  for (const char* pattern : {"(", "[a-", "*x", "a{2,1}"}) {
    const auto as_include = DeviceFilter::Make(pattern, "");
    ASSERT_FALSE(as_include.ok()) << pattern;
    EXPECT_NE(as_include.error().find(pattern), std::string::npos) << as_include.error();
    EXPECT_FALSE(DeviceFilter::Make("", pattern).ok()) << pattern;
  }
}

TEST(DeviceFilterTest, CacheDoesNotChangeResults) {
  const auto filter = DeviceFilter::Make("", "^dev[0-9]*7$");
  ASSERT_TRUE(filter.ok()) << filter.error();
  // More distinct names than the cache holds (4096), three passes: the answer for a
  // name never depends on whether it was cached, evicted or computed afresh.
  for (int pass = 0; pass < 3; ++pass) {
    for (int i = 0; i < 5000; ++i) {
      const std::string name = "dev" + std::to_string(i);
      ASSERT_EQ(filter->Ignored(name), i % 10 == 7) << name << " pass " << pass;
    }
  }
  // A copy (options are copied into collectors) answers the same.
  const DeviceFilter copy = *filter;
  EXPECT_TRUE(copy.Ignored("dev17"));
  EXPECT_FALSE(copy.Ignored("dev18"));
}

}  // namespace
}  // namespace vitals::collectors
