#include "procfs/class_watchdog.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(ParseWatchdogNumberTest, GoParseIntBase0) {
  EXPECT_EQ(ParseWatchdogNumber("30\n"), 30);
  EXPECT_EQ(ParseWatchdogNumber(" 0x20 "), 32);
  EXPECT_EQ(ParseWatchdogNumber("-5"), -5);
  EXPECT_EQ(ParseWatchdogNumber("+010"), 8);
  EXPECT_EQ(ParseWatchdogNumber("-9223372036854775808"), INT64_MIN);
  EXPECT_EQ(ParseWatchdogNumber("9223372036854775807"), INT64_MAX);
  for (const char* bad :
       {"", "\n", "n/a", "-", "- 5", "9223372036854775808", "1.5", "0x", "--1", "-+1", "30s"}) {
    EXPECT_FALSE(ParseWatchdogNumber(bad).has_value()) << bad;
  }
}

TEST(ReadWatchdogTest, FixtureDevices) {
  FileCache files;
  const std::string dir = test::FixturePath("sys/class/watchdog");
  const auto full = ReadWatchdog(files, dir, "watchdog0");
  EXPECT_EQ(full.identity, "iTCO_wdt");
  EXPECT_EQ(full.options, "0x8180");
  EXPECT_EQ(full.status, "0x8000");
  EXPECT_EQ(full.timeout, 30);
  EXPECT_EQ(full.timeleft, 27);
  EXPECT_EQ(full.pretimeout_governor, "noop");
  EXPECT_FALSE(full.access_cs0.has_value());
  // watchdog1 (softdog-like): few attributes, a padded hex bootstatus, a timeleft that
  // is no number.
  const auto sparse = ReadWatchdog(files, dir, "watchdog1");
  EXPECT_EQ(sparse.identity, "Software Watchdog");
  EXPECT_EQ(sparse.bootstatus, 32);
  EXPECT_FALSE(sparse.timeleft.has_value());
  EXPECT_FALSE(sparse.options.has_value());
  EXPECT_FALSE(sparse.nowayout.has_value());
  const auto none = ReadWatchdog(files, dir, "watchdog9");
  EXPECT_FALSE(none.timeout.has_value());
  EXPECT_FALSE(none.identity.has_value());
}

}  // namespace
}  // namespace vitals::procfs
