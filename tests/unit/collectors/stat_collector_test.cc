#include "collectors/stat_collector.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

TEST(StatCollectorTest, FixtureCounters) {
  StatCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  // tests/fixtures/proc/stat: intr 161504 ..., ctxt 283820, btime 1795266897,
  // processes 4452, procs_running 1, procs_blocked 0.
  EXPECT_EQ(SampleValue(families, "node_intr_total"), 161504);
  EXPECT_EQ(SampleValue(families, "node_context_switches_total"), 283820);
  EXPECT_EQ(SampleValue(families, "node_forks_total"), 4452);
  EXPECT_EQ(SampleValue(families, "node_boot_time_seconds"), 1795266897);
  EXPECT_EQ(SampleValue(families, "node_procs_running"), 1);
  EXPECT_EQ(SampleValue(families, "node_procs_blocked"), 0);
  EXPECT_EQ(families.size(), 6u);

  EXPECT_EQ(test::FindFamily(families, "node_intr_total")->type, prometheus::MetricType::Counter);
  EXPECT_EQ(test::FindFamily(families, "node_forks_total")->type, prometheus::MetricType::Counter);
  EXPECT_EQ(test::FindFamily(families, "node_boot_time_seconds")->type,
            prometheus::MetricType::Gauge);
  EXPECT_EQ(test::FindFamily(families, "node_procs_running")->type, prometheus::MetricType::Gauge);
}

TEST(StatCollectorTest, AbsentLinesAreNotPublished) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "stat", "cpu0 1 2 3 4\nctxt 77\n");
  Paths paths;
  paths.procfs = dir.path().string();
  StatCollector collector(paths);
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(SampleValue(families, "node_context_switches_total"), 77);
  EXPECT_EQ(test::FindFamily(families, "node_boot_time_seconds"), nullptr);
}

TEST(StatCollectorTest, MalformedFileFails) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "stat", "ctxt 77\n");  // No cpu lines.
  Paths paths;
  paths.procfs = dir.path().string();
  StatCollector collector(paths);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("stat"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace vitals::collectors
