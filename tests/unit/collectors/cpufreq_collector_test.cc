#include "collectors/cpufreq_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

TEST(CpufreqCollectorTest, FixtureAsNodeExporter) {
  CpufreqCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  // node_exporter 1.5 on tests/fixtures/sys: kHz * 1000; a missing file, no sample; cpu2
  // has no cpufreq directory.
  struct Want {
    const char* family;
    const char* cpu;
    std::optional<double> hertz;
  };
  const Want wants[] = {
      {"node_cpu_frequency_hertz", "1", 1.200195e9},
      {"node_cpu_frequency_hertz", "0", std::nullopt},
      {"node_cpu_frequency_max_hertz", "0", 2.4e9},
      {"node_cpu_frequency_max_hertz", "1", 3.3e9},
      {"node_cpu_frequency_min_hertz", "0", 8e8},
      {"node_cpu_frequency_min_hertz", "1", 1.2e9},
      {"node_cpu_scaling_frequency_hertz", "0", 1.219917e9},
      {"node_cpu_scaling_frequency_hertz", "1", std::nullopt},
      {"node_cpu_scaling_frequency_hertz", "10", 1.5e9},
      {"node_cpu_scaling_frequency_max_hertz", "1", 3.3e9},
      {"node_cpu_scaling_frequency_min_hertz", "0", 8e8},
      {"node_cpu_scaling_frequency_min_hertz", "10", std::nullopt},
      {"node_cpu_frequency_max_hertz", "2", std::nullopt},
  };
  for (const auto& want : wants) {
    EXPECT_EQ(SampleValue(families, want.family, {{"cpu", want.cpu}}), want.hertz)
        << want.family << " " << want.cpu;
  }
  const auto* current = test::FindFamily(families, "node_cpu_scaling_frequency_hertz");
  ASSERT_NE(current, nullptr);
  EXPECT_EQ(current->type, prometheus::MetricType::Gauge);
  EXPECT_EQ(current->help, "Current scaled CPU thread frequency in hertz.");
  EXPECT_EQ(test::FindFamily(families, "node_cpu_scaling_governor"), nullptr);
}

TEST(CpufreqCollectorTest, NoCpufreqIsAnEmptySuccess) {
  // Like this VM: cpu0 and cpu1 without cpufreq, or no cpu directory at all.
  for (const bool with_cpus : {true, false}) {
    test::TempDir dir;
    test::WriteFile(dir.path() / "kernel/uevent_seqnum", "1\n");
    if (with_cpus) test::WriteFile(dir.path() / "devices/system/cpu/cpu0/online", "1\n");
    Paths paths;
    paths.sysfs = dir.path().string();
    CpufreqCollector collector(paths);
    Families families;
    const Status status = collector.Collect({}, families);
    EXPECT_TRUE(status.ok()) << status.message();
    for (const auto& family : families) EXPECT_TRUE(family.metric.empty()) << family.name;
  }
}

TEST(CpufreqCollectorTest, OneBadCpuFailsWithNoSample) {
  test::TempDir dir;
  const auto cpu = dir.path() / "devices/system/cpu";
  for (const char* name : {"cpu0", "cpu1"}) {
    for (const char* file : {"scaling_available_governors", "scaling_driver", "scaling_governor",
                             "related_cpus", "scaling_setspeed"}) {
      test::WriteFile(cpu / name / "cpufreq" / file, "x\n");
    }
    test::WriteFile(cpu / name / "cpufreq/scaling_cur_freq", "800000\n");
  }
  test::WriteFile(cpu / "cpu1/cpufreq/scaling_min_freq", "-5\n");
  Paths paths;
  paths.sysfs = dir.path().string();
  CpufreqCollector collector(paths);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("scaling_min_freq"), std::string::npos) << status.message();
  EXPECT_TRUE(families.empty());
}

}  // namespace
}  // namespace vitals::collectors
