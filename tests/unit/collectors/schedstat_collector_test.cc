#include "collectors/schedstat_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::Value;

TEST(SchedstatCollectorTest, FixtureCounters) {
  SchedstatCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 3u);
  // ns / 1e9 as node_exporter divides; timeslices as they are.
  EXPECT_EQ(Value(families, "node_schedstat_running_seconds_total", {{"cpu", "0"}}),
            2045936778163039.0 / 1e9);
  EXPECT_EQ(Value(families, "node_schedstat_waiting_seconds_total", {{"cpu", "1"}}),
            364107263788241.0 / 1e9);
  EXPECT_EQ(Value(families, "node_schedstat_timeslices_total", {{"cpu", "0"}}), 4767485306.0);
  EXPECT_EQ(Value(families, "node_schedstat_running_seconds_total", {{"cpu", "4"}}), 1.0);
  EXPECT_EQ(Value(families, "node_schedstat_waiting_seconds_total", {{"cpu", "4"}}), 0.5);
  EXPECT_EQ(test::SampleValue(families, "node_schedstat_timeslices_total", {{"cpu", "2"}}),
            std::nullopt);
  const auto* running = test::FindFamily(families, "node_schedstat_running_seconds_total");
  ASSERT_NE(running, nullptr);
  EXPECT_EQ(running->type, prometheus::MetricType::Counter);
  EXPECT_EQ(running->help, "Number of seconds CPU spent running a process.");
  EXPECT_EQ(running->metric.size(), 3u);
}

TEST(SchedstatCollectorTest, NoSchedstatFileIsNoFailure) {
  // A kernel without CONFIG_SCHED_INFO (like this VM's): nothing, and success.
  test::TempDir dir;
  test::WriteFile(dir.path() / "stat", "cpu 1 2 3 4\n");
  Paths paths;
  paths.procfs = dir.path().string();
  SchedstatCollector collector(paths);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(families.empty());
}

}  // namespace
}  // namespace vitals::collectors
