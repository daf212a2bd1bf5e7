#include "collectors/stat_collector.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "collectors/registry.h"
#include "server/config.h"
#include "server/flags.h"
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

Families CollectFixture(const CollectorOptions& options) {
  const auto collector = FindCollector("stat")->make(test::FixturePaths(), options);
  Families families;
  const Status status = collector->Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  return families;
}

Result<CollectorOptions> OptionsFromFlags(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  const auto flags = server::ParseFlags(argv);
  if (!flags.ok()) return Error{flags.error()};
  server::Config config;
  if (Status applied = server::ApplyCollectorSettings(*flags, config); !applied.ok()) {
    return Error{applied.message()};
  }
  return config.collector_options;
}

TEST(StatCollectorTest, SoftirqsOffByDefault) {
  EXPECT_FALSE(CollectorOptions::Defaults().Get<StatOptions>().softirq);
  const Families families = CollectFixture(CollectorOptions::Defaults());
  EXPECT_EQ(test::FindFamily(families, "node_softirqs_total"), nullptr);
}

TEST(StatCollectorTest, SoftirqsPerVectorWithTheFlag) {
  const auto options = OptionsFromFlags({"--collector.stat.softirq"});
  ASSERT_TRUE(options.ok()) << options.error();
  const Families families = CollectFixture(*options);
  const auto* family = test::FindFamily(families, "node_softirqs_total");
  ASSERT_NE(family, nullptr);
  EXPECT_EQ(family->type, prometheus::MetricType::Counter);
  EXPECT_EQ(family->help, "Number of softirq calls.");
  // tests/fixtures/proc/stat: "softirq 104285 0 13461 4 1150 38093 0 3 29747 0 21827"
  // (the total first; node_exporter 1.5 publishes only the vectors).
  const std::map<std::string, double> expected = {
      {"hi", 0},           {"timer", 13461}, {"net_tx", 4},    {"net_rx", 1150}, {"block", 38093},
      {"block_iopoll", 0}, {"tasklet", 3},   {"sched", 29747}, {"hrtimer", 0},   {"rcu", 21827}};
  ASSERT_EQ(family->metric.size(), expected.size());
  for (const auto& [vector, value] : expected) {
    EXPECT_EQ(SampleValue(families, "node_softirqs_total", {{"vector", vector}}), value) << vector;
  }
  EXPECT_EQ(families.size(), 7u);
}

TEST(StatCollectorTest, SoftirqFromYamlAndNoFlagOverrides) {
  auto config = server::ParseConfig("collectors:\n  stat:\n    softirq: true\n", "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_TRUE(config->collector_options.Get<StatOptions>().softirq);
  std::vector<std::string> args = {"--no-collector.stat.softirq"};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  const auto flags = server::ParseFlags(argv);
  ASSERT_TRUE(flags.ok()) << flags.error();
  ASSERT_TRUE(server::ApplyCollectorSettings(*flags, *config).ok());
  EXPECT_FALSE(config->collector_options.Get<StatOptions>().softirq);
  EXPECT_FALSE(server::ParseConfig("collectors:\n  stat:\n    softirq: maybe\n", "c.yml").ok());
}

TEST(StatCollectorTest, SoftirqOptionRebuildsOnReload) {
  const CollectorOptions before = CollectorOptions::Defaults();
  CollectorOptions after = CollectorOptions::Defaults();
  EXPECT_TRUE(SameOptions(*FindCollector("stat"), before, after));
  after.Get<StatOptions>().softirq = true;
  EXPECT_FALSE(SameOptions(*FindCollector("stat"), before, after));
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
