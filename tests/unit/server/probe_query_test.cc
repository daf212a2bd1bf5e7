#include "server/probe_query.h"

#include <gtest/gtest.h>

#include <string>

namespace vitals::server {
namespace {

TEST(ProbeQueryTest, DecodesTargetAndModule) {
  const auto query = ParseProbeQuery("target=http%3A%2F%2F127.0.0.1%3A8080%2Fa+b&module=http_2xx");
  ASSERT_TRUE(query.ok()) << query.error();
  EXPECT_EQ(query->target, "http://127.0.0.1:8080/a b");
  EXPECT_EQ(query->module, "http_2xx");
}

TEST(ProbeQueryTest, FirstOfRepeatedParametersWins) {
  const auto query = ParseProbeQuery("module=m1&target=a&target=b&module=m2");
  ASSERT_TRUE(query.ok()) << query.error();
  EXPECT_EQ(query->target, "a");
  EXPECT_EQ(query->module, "m1");
}

TEST(ProbeQueryTest, TargetMissingOrEmptyComesFirst) {
  for (const char* text : {static_cast<const char*>(nullptr), "", "module=m", "target=&module=m",
                           "targetx=a&module=m"}) {
    const auto query = ParseProbeQuery(text);
    ASSERT_FALSE(query.ok()) << (text ? text : "(null)");
    EXPECT_EQ(query.error(), "target parameter is missing");
  }
}

TEST(ProbeQueryTest, ModuleMissing) {
  const auto query = ParseProbeQuery("target=127.0.0.1:22");
  ASSERT_FALSE(query.ok());
  EXPECT_EQ(query.error(), "module parameter is missing");
}

TEST(ProbeQueryTest, EmptyModuleIsPresent) {
  const auto query = ParseProbeQuery("target=a&module=");
  ASSERT_TRUE(query.ok()) << query.error();
  EXPECT_EQ(query->module, "");
}

TEST(ProbeQueryTest, OverlongParameterCountsAsMissing) {
  const std::string fits = "target=" + std::string(8191, 'a') + "&module=m";
  const auto ok = ParseProbeQuery(fits.c_str());
  ASSERT_TRUE(ok.ok()) << ok.error();
  EXPECT_EQ(ok->target.size(), 8191u);
  const std::string overlong = "target=" + std::string(8192, 'a') + "&module=m";
  EXPECT_FALSE(ParseProbeQuery(overlong.c_str()).ok());
}

TEST(ProbeQueryTest, BrokenEscapesAreKeptLiterally) {
  // Seeds of fuzz/corpus/probe_query: truncated and non-hex percent escapes.
  const auto query = ParseProbeQuery("target=%zz%4&module=%");
  ASSERT_TRUE(query.ok()) << query.error();
  EXPECT_EQ(query->target, "%zz%4");
  EXPECT_EQ(query->module, "%");
  const auto mixed = ParseProbeQuery("target=%41%2&module=a%");
  ASSERT_TRUE(mixed.ok()) << mixed.error();
  EXPECT_EQ(mixed->target, "A%2");
  EXPECT_EQ(mixed->module, "a%");
}

}  // namespace
}  // namespace vitals::server
