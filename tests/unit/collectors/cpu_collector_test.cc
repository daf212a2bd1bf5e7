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

TEST(CpuCollectorTest, NoGuestOption) {
  CpuOptions options;
  options.guest = false;
  CpuCollector collector(test::FixturePaths(), options);
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  EXPECT_EQ(test::FindFamily(families, "node_cpu_guest_seconds_total"), nullptr);
  EXPECT_NE(test::FindFamily(families, "node_cpu_seconds_total"), nullptr);
}

TEST(CpuCollectorTest, InfoIsOffByDefault) {
  CpuCollector collector(test::FixturePaths());
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  EXPECT_EQ(test::FindFamily(families, "node_cpu_info"), nullptr);
  EXPECT_EQ(test::FindFamily(families, "node_cpu_flag_info"), nullptr);
}

TEST(CpuCollectorTest, InfoFromTheFixture) {
  CpuOptions options;
  options.info = true;
  CpuCollector collector(test::FixturePaths(), options);
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  const auto* info = test::FindFamily(families, "node_cpu_info");
  ASSERT_NE(info, nullptr);
  ASSERT_EQ(info->metric.size(), 8u);
  EXPECT_EQ(SampleValue(families, "node_cpu_info",
                        {{"package", "0"},
                         {"core", "3"},
                         {"cpu", "7"},
                         {"vendor", "GenuineIntel"},
                         {"family", "6"},
                         {"model", "142"},
                         {"model_name", "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz"},
                         {"microcode", "0xb4"},
                         {"stepping", "10"},
                         {"cachesize", "8192 KB"}}),
            1.0);
  // Without include patterns no flag or bug family at all.
  EXPECT_EQ(test::FindFamily(families, "node_cpu_flag_info"), nullptr);
  EXPECT_EQ(test::FindFamily(families, "node_cpu_bug_info"), nullptr);
  EXPECT_NE(test::FindFamily(families, "node_cpu_seconds_total"), nullptr);
}

TEST(CpuCollectorTest, FlagsAndBugsIncludeTurnInfoOn) {
  CpuOptions options;
  options.flags_include = *Regex::Compile("^(sse4_[12]|avx2?)$");
  options.bugs_include = *Regex::Compile("spectre");  // Unanchored, as Go's MatchString.
  CpuCollector collector(test::FixturePaths(), options);
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  EXPECT_NE(test::FindFamily(families, "node_cpu_info"), nullptr);
  const auto* flags = test::FindFamily(families, "node_cpu_flag_info");
  ASSERT_NE(flags, nullptr);
  EXPECT_EQ(test::LabelValues(*flags, "flag"),
            (std::vector<std::string>{"sse4_1", "sse4_2", "avx", "avx2"}));
  const auto* bugs = test::FindFamily(families, "node_cpu_bug_info");
  ASSERT_NE(bugs, nullptr);
  EXPECT_EQ(test::LabelValues(*bugs, "bug"),
            (std::vector<std::string>{"spectre_v1", "spectre_v2"}));
}

TEST(CpuCollectorTest, BadCpuinfoFailsBeforeAnything) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "stat", test::ReadFixture("proc/stat"));
  test::WriteFile(dir.path() / "cpuinfo", "processor\t: 0\ncpu MHz\t: fast\n");
  Paths paths;
  paths.procfs = dir.path().string();
  CpuOptions options;
  options.info = true;
  CpuCollector collector(paths, options);
  Families families;
  EXPECT_FALSE(collector.Collect({}, families).ok());
  EXPECT_TRUE(families.empty());  // node_exporter returns before /proc/stat too.
  std::filesystem::remove(dir.path() / "cpuinfo");
  CpuCollector missing(paths, options);  // A fresh one: the first keeps its fd open.
  EXPECT_FALSE(missing.Collect({}, families).ok());
  EXPECT_TRUE(families.empty());
  options.info = false;
  CpuCollector without(paths, options);
  EXPECT_TRUE(without.Collect({}, families).ok());
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
