#include "collectors/interrupts_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "collectors/registry.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::Value;

TEST(InterruptsCollectorTest, FixtureSamplesPerCpuAndSource) {
  InterruptsCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 1u);
  const auto& family = families[0];
  EXPECT_EQ(family.name, "node_interrupts_total");
  EXPECT_EQ(family.help, "Interrupt details.");
  EXPECT_EQ(family.type, prometheus::MetricType::Counter);
  // tests/fixtures/proc/interrupts: 2 CPUs; " 36:          0      49024 PCI-MSIX-0000:00:02.0
  // 1-edge      virtio1-req.0", "RES:      16764      12563   Rescheduling interrupts".
  EXPECT_EQ(Value(families, "node_interrupts_total",
                  {{"cpu", "1"},
                   {"type", "36"},
                   {"info", "PCI-MSIX-0000:00:02.0"},
                   {"devices", "1-edge virtio1-req.0"}}),
            49024);
  EXPECT_EQ(
      Value(families, "node_interrupts_total",
            {{"cpu", "0"}, {"type", "RES"}, {"info", "Rescheduling interrupts"}, {"devices", ""}}),
      16764);
  // Every line with two counts and a description, twice (one per CPU); not ERR, MIS.
  size_t lines = 0;
  for (const auto& line : test::Lines(test::ReadFixture("proc/interrupts"))) {
    if (test::Tokens(line).size() >= 4) ++lines;
  }
  EXPECT_EQ(family.metric.size(), 2 * lines);
}

TEST(InterruptsCollectorTest, OffByDefault) {
  EXPECT_FALSE(FindCollector("interrupts")->enabled_by_default);
}

TEST(InterruptsCollectorTest, MalformedFileFailsAndNamesIt) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "interrupts", "  CPU0\n  1:  five  IO-APIC 1-edge i8042\n");
  Paths paths;
  paths.procfs = dir.path().string();
  InterruptsCollector collector(paths);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find(dir.Sub("interrupts")), std::string::npos) << status.message();
  EXPECT_TRUE(families.empty());
}

}  // namespace
}  // namespace vitals::collectors
