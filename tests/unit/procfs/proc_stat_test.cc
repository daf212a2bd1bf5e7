#include "procfs/proc_stat.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

using test::Lines;
using test::ReadFixture;
using test::Tokens;

TEST(ParseProcStatTest, FixtureHasOneEntryPerCpuLine) {
  const std::string text = ReadFixture("proc/stat");
  // Independent reading: per-CPU lines are "cpu<N> ..." (the aggregate "cpu" is not one).
  std::vector<std::vector<std::string>> cpu_lines;
  for (const auto& line : Lines(text)) {
    const auto tokens = Tokens(line);
    if (!tokens.empty() && tokens[0].size() > 3 && tokens[0].rfind("cpu", 0) == 0) {
      cpu_lines.push_back(tokens);
    }
  }
  ASSERT_EQ(cpu_lines.size(), 2u) << "the fixture VM has 2 vCPUs (tests/fixtures/README.md)";

  const auto stat = ParseProcStat(text);
  ASSERT_TRUE(stat.ok()) << stat.error();
  ASSERT_EQ(stat->cpus.size(), cpu_lines.size());
  for (size_t i = 0; i < cpu_lines.size(); ++i) {
    const auto& tokens = cpu_lines[i];
    const CpuTimes& cpu = stat->cpus[i];
    SCOPED_TRACE(tokens[0]);
    EXPECT_EQ(cpu.cpu, std::stoi(tokens[0].substr(3)));
    EXPECT_EQ(cpu.user, std::stoull(tokens[1]));
    EXPECT_EQ(cpu.nice, std::stoull(tokens[2]));
    EXPECT_EQ(cpu.system, std::stoull(tokens[3]));
    EXPECT_EQ(cpu.idle, std::stoull(tokens[4]));
    EXPECT_EQ(cpu.iowait, std::stoull(tokens[5]));
    EXPECT_EQ(cpu.irq, std::stoull(tokens[6]));
    EXPECT_EQ(cpu.softirq, std::stoull(tokens[7]));
    EXPECT_EQ(cpu.steal, std::stoull(tokens[8]));
    EXPECT_EQ(cpu.guest, std::stoull(tokens[9]));
    EXPECT_EQ(cpu.guest_nice, std::stoull(tokens[10]));
  }
}

TEST(ParseProcStatTest, FixtureSystemCounters) {
  // Values as printed in tests/fixtures/proc/stat.
  const auto stat = ParseProcStat(ReadFixture("proc/stat"));
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->cpus[1].idle, 56866u);
  EXPECT_EQ(stat->cpus[1].iowait, 426u);
  EXPECT_EQ(stat->boot_time, 1795266897u);
  EXPECT_EQ(stat->context_switches, 283820u);
  EXPECT_EQ(stat->forks, 4452u);
  EXPECT_EQ(stat->interrupts, 161504u);  // First number of "intr": the total.
  EXPECT_EQ(stat->procs_running, 1u);
  EXPECT_EQ(stat->procs_blocked, 0u);
}

TEST(ParseProcStatTest, FixtureSoftIrqs) {
  // "softirq 104285 0 13461 4 1150 38093 0 3 29747 0 21827": the total, then hi, timer,
  // net_tx, net_rx, block, irq_poll, tasklet, sched, hrtimer, rcu.
  const auto stat = ParseProcStat(ReadFixture("proc/stat"));
  ASSERT_TRUE(stat.ok()) << stat.error();
  ASSERT_TRUE(stat->softirqs.has_value());
  EXPECT_EQ(*stat->softirqs, (SoftIrqs{0, 13461, 4, 1150, 38093, 0, 3, 29747, 0, 21827}));
}

TEST(ParseProcStatTest, SoftIrqLineAbsentOrLonger) {
  const auto absent = ParseProcStat("cpu0 1 2 3 4\n");
  ASSERT_TRUE(absent.ok()) << absent.error();
  EXPECT_FALSE(absent->softirqs.has_value());
  // A vector a future kernel might add is ignored.
  const auto longer = ParseProcStat("cpu0 1 2 3 4\nsoftirq 66 1 2 3 4 5 6 7 8 9 10 11\n");
  ASSERT_TRUE(longer.ok()) << longer.error();
  EXPECT_EQ(*longer->softirqs, (SoftIrqs{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

TEST(ParseProcStatTest, InlineLinesAndOlderKernelColumns) {
  const auto stat = ParseProcStat(
      "cpu  10 20 30 40 50 60 70 80 90 100\n"
      "cpu0 1 2 3 4\n"  // Pre-2.6 kernels print only user, nice, system, idle.
      "cpu7 11 12 13 14 15 16 17\n"
      "btime 42\n");
  ASSERT_TRUE(stat.ok()) << stat.error();
  ASSERT_EQ(stat->cpus.size(), 2u);  // The aggregate line is not a CPU.
  EXPECT_EQ(stat->cpus[0].cpu, 0);
  EXPECT_EQ(stat->cpus[0].idle, 4u);
  EXPECT_EQ(stat->cpus[0].iowait, 0u);
  EXPECT_EQ(stat->cpus[1].cpu, 7);
  EXPECT_EQ(stat->cpus[1].softirq, 17u);
  EXPECT_EQ(stat->cpus[1].steal, 0u);
  EXPECT_EQ(stat->boot_time, 42u);
  EXPECT_FALSE(stat->context_switches.has_value());
  EXPECT_FALSE(stat->procs_blocked.has_value());
}

TEST(ParseProcStatTest, ExtraCpuColumnsAreIgnored) {
  // A future kernel may append columns; the known ten keep their meaning.
  const auto stat = ParseProcStat("cpu0 1 2 3 4 5 6 7 8 9 10 11 12\n");
  ASSERT_TRUE(stat.ok()) << stat.error();
  ASSERT_EQ(stat->cpus.size(), 1u);
  EXPECT_EQ(stat->cpus[0].user, 1u);
  EXPECT_EQ(stat->cpus[0].guest_nice, 10u);
}

TEST(ParseProcStatTest, LargestCounterDoesNotWrap) {
  const auto stat = ParseProcStat("cpu0 18446744073709551615 0 0 0\n");
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->cpus[0].user, 18446744073709551615u);
}

TEST(ParseProcStatTest, NonNumericSystemCounterIsLeftUnset) {
  // Not a reason to drop the CPU times; the metric is simply not published.
  const auto stat = ParseProcStat("cpu0 1 2 3 4\nbtime soon\nctxt\n");
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_FALSE(stat->boot_time.has_value());
  EXPECT_FALSE(stat->context_switches.has_value());
}

struct BadInput {
  const char* name;
  const char* text;
  // Readable test names in ctest and failure messages.
  friend void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }
};

class ParseProcStatBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseProcStatBadInputTest, IsAnError) {
  const auto stat = ParseProcStat(GetParam().text);
  EXPECT_FALSE(stat.ok()) << "accepted: " << GetParam().text;
  if (!stat.ok()) {
    EXPECT_FALSE(stat.error().empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseProcStatBadInputTest,
    ::testing::Values(
        BadInput{"Empty", ""}, BadInput{"OnlyNewlines", "\n\n"},
        BadInput{"NoCpuLines", "ctxt 5\nbtime 6\n"}, BadInput{"Garbage", "\x01\x02 garbage\n"},
        BadInput{"TruncatedCpuLine", "cpu0 1 2 3\n"}, BadInput{"TruncatedAggregate", "cpu 1\n"},
        BadInput{"NonNumericField", "cpu0 1 2 x 4\n"}, BadInput{"NegativeField", "cpu0 1 2 -3 4\n"},
        BadInput{"NonNumericCpuIndex", "cpux 1 2 3 4\n"},
        BadInput{"CounterOverflowsUint64", "cpu0 18446744073709551616 0 0 0\n"},
        BadInput{"CpuIndexOverflowsInt", "cpu4294967296 1 2 3 4\n"},
        BadInput{"BadLineAfterGoodOne", "cpu0 1 2 3 4\ncpu1 1 2 3 four\n"},
        // prometheus/procfs fails the whole file on these too.
        BadInput{"SoftIrqTooShort", "cpu0 1 2 3 4\nsoftirq 45 1 2 3 4 5 6 7 8 9\n"},
        BadInput{"SoftIrqNonNumeric", "cpu0 1 2 3 4\nsoftirq 45 1 2 3 x 5 6 7 8 9 10\n"},
        BadInput{"SoftIrqNoTotal", "cpu0 1 2 3 4\nsoftirq\n"}),
    test::ParamName());

}  // namespace
}  // namespace vitals::procfs
