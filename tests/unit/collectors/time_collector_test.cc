#include "collectors/time_collector.h"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <vector>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

double Now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

TEST(TimeCollectorTest, TimeAndZoneOffset) {
  TimeCollector collector(test::FixturePaths());
  Families families;
  const double before = Now();
  ASSERT_TRUE(collector.Collect({}, families).ok());
  const double after = Now();
  const double seconds = test::Value(families, "node_time_seconds");
  EXPECT_GE(seconds, before);
  EXPECT_LE(seconds, after);

  const auto* zone = test::FindFamily(families, "node_time_zone_offset_seconds");
  ASSERT_NE(zone, nullptr);
  ASSERT_EQ(zone->metric.size(), 1u);
  const std::time_t now = std::time(nullptr);
  struct tm local {};
  localtime_r(&now, &local);
  EXPECT_EQ(test::Labels(zone->metric[0]), (test::LabelMap{{"time_zone", local.tm_zone}}));
  EXPECT_EQ(zone->metric[0].gauge.value, static_cast<double>(local.tm_gmtoff));
}

TEST(TimeCollectorTest, FixtureClocksources) {
  TimeCollector collector(test::FixturePaths());
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  // clocksource0/available_clocksource: "tsc kvm-clock "; current_clocksource: "tsc".
  const auto* available = test::FindFamily(families, "node_time_clocksource_available_info");
  ASSERT_NE(available, nullptr);
  EXPECT_EQ(test::LabelSets(*available),
            (std::vector<test::LabelMap>{{{"clocksource", "tsc"}, {"device", "0"}},
                                         {{"clocksource", "kvm-clock"}, {"device", "0"}}}));
  EXPECT_EQ(SampleValue(families, "node_time_clocksource_current_info",
                        {{"clocksource", "tsc"}, {"device", "0"}}),
            1);
  const auto* current = test::FindFamily(families, "node_time_clocksource_current_info");
  ASSERT_NE(current, nullptr);
  EXPECT_EQ(current->metric.size(), 1u);
}

TEST(TimeCollectorTest, MissingClocksourceDirIsNotAnError) {
  Paths paths;
  paths.sysfs = test::FixturePath("no-such-sysfs");
  TimeCollector collector(paths);
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  EXPECT_TRUE(SampleValue(families, "node_time_seconds").has_value());
  EXPECT_TRUE(test::FindFamily(families, "node_time_clocksource_current_info")->metric.empty());
}

}  // namespace
}  // namespace vitals::collectors
