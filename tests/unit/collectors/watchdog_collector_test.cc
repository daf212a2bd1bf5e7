#include "collectors/watchdog_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;
using test::Value;

TEST(WatchdogCollectorTest, FixtureDevices) {
  WatchdogCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(Value(families, "node_watchdog_info",
                  {{"name", "watchdog0"},
                   {"options", "0x8180"},
                   {"identity", "iTCO_wdt"},
                   {"state", "active"},
                   {"status", "0x8000"},
                   {"pretimeout_governor", "noop"}}),
            1);
  EXPECT_EQ(Value(families, "node_watchdog_info",
                  {{"name", "watchdog1"},
                   {"options", ""},
                   {"identity", "Software Watchdog"},
                   {"state", "inactive"},
                   {"status", ""},
                   {"pretimeout_governor", ""}}),
            1);
  EXPECT_EQ(Value(families, "node_watchdog_timeout_seconds", {{"name", "watchdog0"}}), 30);
  EXPECT_EQ(Value(families, "node_watchdog_timeleft_seconds", {{"name", "watchdog0"}}), 27);
  EXPECT_EQ(Value(families, "node_watchdog_bootstatus", {{"name", "watchdog1"}}), 32);
  EXPECT_FALSE(
      SampleValue(families, "node_watchdog_timeleft_seconds", {{"name", "watchdog1"}}).has_value());
  EXPECT_FALSE(
      SampleValue(families, "node_watchdog_access_cs0", {{"name", "watchdog0"}}).has_value());
}

TEST(WatchdogCollectorTest, NoWatchdogs) {
  test::TempDir dir;
  Paths paths;
  paths.sysfs = dir.path().string();
  WatchdogCollector collector(paths);
  Families families;
  EXPECT_TRUE(collector.Collect({}, families).ok());
  EXPECT_TRUE(families.empty());
  paths.sysfs = dir.Sub("missing");
  WatchdogCollector missing(paths);
  EXPECT_FALSE(missing.Collect({}, families).ok());
}

}  // namespace
}  // namespace vitals::collectors
