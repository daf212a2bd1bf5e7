#include "collectors/pressure_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::Value;

// The "total=" value of line `index` of a fixture file, in seconds as node_exporter
// computes them (microseconds / 1000 / 1000).
double FixtureSeconds(const std::string& resource, size_t index) {
  const auto lines = test::Lines(test::ReadFixture("proc/pressure/" + resource));
  const auto tokens = test::Tokens(lines.at(index));
  return static_cast<double>(std::stoull(tokens.at(4).substr(6))) / 1000.0 / 1000.0;
}

TEST(PressureCollectorTest, FixtureCounters) {
  PressureCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 5u);
  EXPECT_EQ(Value(families, "node_pressure_cpu_waiting_seconds_total"), FixtureSeconds("cpu", 0));
  EXPECT_EQ(Value(families, "node_pressure_io_waiting_seconds_total"), FixtureSeconds("io", 0));
  EXPECT_EQ(Value(families, "node_pressure_io_stalled_seconds_total"), FixtureSeconds("io", 1));
  EXPECT_EQ(Value(families, "node_pressure_memory_waiting_seconds_total"),
            FixtureSeconds("memory", 0));
  EXPECT_EQ(Value(families, "node_pressure_memory_stalled_seconds_total"),
            FixtureSeconds("memory", 1));
  // "total=41898437" in proc/pressure/io's full line.
  EXPECT_EQ(Value(families, "node_pressure_io_stalled_seconds_total"), 41.898437);
  for (const auto& family : families) {
    EXPECT_EQ(family.type, prometheus::MetricType::Counter) << family.name;
  }
}

constexpr const char* kSome = "some avg10=0.00 avg60=0.00 avg300=0.00 total=1500000\n";
constexpr const char* kFull = "full avg10=0.00 avg60=0.00 avg300=0.00 total=2500000\n";

struct Tree {
  test::TempDir dir;
  Paths paths() const {
    Paths p;
    p.procfs = dir.path().string();
    return p;
  }
};

TEST(PressureCollectorTest, KernelWithoutPsiPublishesNothingAndSucceeds) {
  Tree tree;
  PressureCollector collector(tree.paths());
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(families.empty());
}

TEST(PressureCollectorTest, CpuWithoutFullLineAndIrqIgnored) {
  Tree tree;
  test::WriteFile(tree.dir.path() / "pressure/cpu", kSome);  // Kernel < 5.13.
  test::WriteFile(tree.dir.path() / "pressure/io", std::string(kSome) + kFull);
  test::WriteFile(tree.dir.path() / "pressure/memory", std::string(kSome) + kFull);
  test::WriteFile(tree.dir.path() / "pressure/irq", kFull);
  PressureCollector collector(tree.paths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(families.size(), 5u);
  EXPECT_EQ(Value(families, "node_pressure_cpu_waiting_seconds_total"), 1.5);
  EXPECT_EQ(Value(families, "node_pressure_memory_stalled_seconds_total"), 2.5);
}

TEST(PressureCollectorTest, IoWithoutFullLineFails) {
  Tree tree;
  test::WriteFile(tree.dir.path() / "pressure/cpu", kSome);
  test::WriteFile(tree.dir.path() / "pressure/io", kSome);
  PressureCollector collector(tree.paths());
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("pressure/io: no 'full' line"), std::string::npos)
      << status.message();
  EXPECT_EQ(families.size(), 1u);  // cpu, already read, stays.
}

TEST(PressureCollectorTest, MalformedFileFailsAndNamesIt) {
  Tree tree;
  test::WriteFile(tree.dir.path() / "pressure/cpu", "some garbage\n");
  PressureCollector collector(tree.paths());
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find(tree.dir.Sub("pressure/cpu")), std::string::npos)
      << status.message();
  EXPECT_TRUE(families.empty());
}

}  // namespace
}  // namespace vitals::collectors
