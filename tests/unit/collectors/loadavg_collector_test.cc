#include "collectors/loadavg_collector.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

TEST(LoadavgCollectorTest, FixtureGauges) {
  LoadavgCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  // tests/fixtures/proc/loadavg: "0.66 0.30 0.14 1/78 4451".
  EXPECT_EQ(SampleValue(families, "node_load1"), 0.66);
  EXPECT_EQ(SampleValue(families, "node_load5"), 0.30);
  EXPECT_EQ(SampleValue(families, "node_load15"), 0.14);
  ASSERT_EQ(families.size(), 3u);
  for (const auto& family : families) {
    EXPECT_EQ(family.type, prometheus::MetricType::Gauge) << family.name;
    EXPECT_FALSE(family.help.empty()) << family.name;
  }
}

TEST(LoadavgCollectorTest, MalformedFileFailsAndNamesIt) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "loadavg", "not a load average\n");
  Paths paths;
  paths.procfs = dir.path().string();
  LoadavgCollector collector(paths);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find(dir.Sub("loadavg")), std::string::npos) << status.message();
  EXPECT_TRUE(families.empty());
}

}  // namespace
}  // namespace vitals::collectors
