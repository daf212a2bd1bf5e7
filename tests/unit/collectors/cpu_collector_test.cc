#include "collectors/cpu_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::LabelMap;
using test::SampleValue;

// The order of the columns in /proc/stat, after the "cpuN" label.
const char* const kColumns[] = {"user", "nice",    "system", "idle",  "iowait",
                                "irq",  "softirq", "steal",  "guest", "guest_nice"};

TEST(CpuCollectorTest, FixtureSecondsPerCpuAndMode) {
  CpuCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();

  // cpu1's line in tests/fixtures/proc/stat: "cpu1 6266 0 2022 56866 426 0 76 452 0 0".
  EXPECT_EQ(SampleValue(families, "node_cpu_seconds_total", {{"cpu", "1"}, {"mode", "idle"}}),
            56866 / 100.0);
  EXPECT_EQ(SampleValue(families, "node_cpu_seconds_total", {{"cpu", "1"}, {"mode", "user"}}),
            62.66);

  // Every per-CPU line of the fixture, every mode, ticks / USER_HZ (100).
  int cpus = 0;
  for (const auto& line : test::Lines(test::ReadFixture("proc/stat"))) {
    const auto tokens = test::Tokens(line);
    if (tokens.empty() || tokens[0].size() <= 3 || tokens[0].rfind("cpu", 0) != 0) continue;
    ++cpus;
    const std::string cpu = tokens[0].substr(3);
    for (int column = 0; column < 8; ++column) {
      const LabelMap labels = {{"cpu", cpu}, {"mode", kColumns[column]}};
      EXPECT_EQ(SampleValue(families, "node_cpu_seconds_total", labels),
                std::stod(tokens[1 + column]) / 100.0)
          << "cpu " << cpu << " mode " << kColumns[column];
    }
    EXPECT_EQ(
        SampleValue(families, "node_cpu_guest_seconds_total", {{"cpu", cpu}, {"mode", "user"}}),
        std::stod(tokens[9]) / 100.0);
    EXPECT_EQ(
        SampleValue(families, "node_cpu_guest_seconds_total", {{"cpu", cpu}, {"mode", "nice"}}),
        std::stod(tokens[10]) / 100.0);
  }
  ASSERT_EQ(cpus, 2);

  const auto* seconds = test::FindFamily(families, "node_cpu_seconds_total");
  ASSERT_NE(seconds, nullptr);
  EXPECT_EQ(seconds->type, prometheus::MetricType::Counter);
  EXPECT_EQ(seconds->metric.size(), 2u * 8u);  // No aggregate "cpu" line, no guest modes.
  const auto* guest = test::FindFamily(families, "node_cpu_guest_seconds_total");
  ASSERT_NE(guest, nullptr);
  EXPECT_EQ(guest->type, prometheus::MetricType::Counter);
  EXPECT_EQ(guest->metric.size(), 2u * 2u);
}

class CpuMonotonicTest : public ::testing::Test {
 protected:
  // One CPU; only idle and iowait vary.
  void WriteStat(int idle, int iowait) {
    test::WriteFile(dir_.path() / "stat", "cpu  100 0 50 " + std::to_string(idle) + " " +
                                              std::to_string(iowait) + " 0 0 0 0 0\n" +
                                              "cpu0 100 0 50 " + std::to_string(idle) + " " +
                                              std::to_string(iowait) + " 0 0 0 0 0\n");
  }
  std::optional<double> Collect(const char* mode) {
    Families families;
    const Status status = collector_.Collect({}, families);
    EXPECT_TRUE(status.ok()) << status.message();
    return SampleValue(families, "node_cpu_seconds_total", {{"cpu", "0"}, {"mode", mode}});
  }
  Paths MakePaths() {
    Paths paths;
    paths.procfs = dir_.path().string();
    return paths;
  }

  test::TempDir dir_;
  CpuCollector collector_{MakePaths()};
};

TEST_F(CpuMonotonicTest, SmallerIowaitDoesNotGoBackwards) {
  WriteStat(10000, 500);
  EXPECT_EQ(Collect("iowait"), 5.0);
  WriteStat(10100, 400);  // The kernel's iowait is known to jump backwards.
  EXPECT_EQ(Collect("iowait"), 5.0);
  EXPECT_EQ(Collect("idle"), 101.0);  // Other modes keep moving.
  WriteStat(10200, 650);
  EXPECT_EQ(Collect("iowait"), 6.5);
}

TEST_F(CpuMonotonicTest, SmallIdleDropIsIgnored) {
  WriteStat(10000, 500);
  EXPECT_EQ(Collect("idle"), 100.0);
  WriteStat(9701, 400);  // 2.99 s back: a glitch, not a new CPU.
  EXPECT_EQ(Collect("idle"), 100.0);
  EXPECT_EQ(Collect("iowait"), 5.0);
}

TEST_F(CpuMonotonicTest, IdleDropOfThreeSecondsResets) {
  WriteStat(10000, 500);
  EXPECT_EQ(Collect("idle"), 100.0);
  WriteStat(9700, 400);  // 3 s back: the CPU was replaced (hot-plug); start over.
  EXPECT_EQ(Collect("idle"), 97.0);
  EXPECT_EQ(Collect("iowait"), 4.0);
}

TEST_F(CpuMonotonicTest, ChangedCpuCountStartsOver) {
  WriteStat(10000, 500);
  EXPECT_EQ(Collect("iowait"), 5.0);
  test::WriteFile(dir_.path() / "stat",
                  "cpu0 100 0 50 10000 100 0 0 0 0 0\ncpu1 1 1 1 1 1 1 1 1 1 1\n");
  EXPECT_EQ(Collect("iowait"), 1.0);
}

}  // namespace
}  // namespace vitals::collectors
