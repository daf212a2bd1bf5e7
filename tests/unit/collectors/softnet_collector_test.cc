#include "collectors/softnet_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "collectors/registry.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

TEST(SoftnetCollectorTest, FixturePerLine) {
  const auto collector =
      FindCollector("softnet")->make(test::FixturePaths(), CollectorOptions::Defaults());
  Families families;
  const Status status = collector->Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 3u);
  const auto lines = test::Lines(test::ReadFixture("proc/net/softnet_stat"));
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto tokens = test::Tokens(lines[i]);
    const test::LabelMap cpu = {{"cpu", std::to_string(i)}};
    SCOPED_TRACE(lines[i]);
    EXPECT_EQ(SampleValue(families, "node_softnet_processed_total", cpu),
              std::stoul(tokens[0], nullptr, 16));
    EXPECT_EQ(SampleValue(families, "node_softnet_dropped_total", cpu),
              std::stoul(tokens[1], nullptr, 16));
    EXPECT_EQ(SampleValue(families, "node_softnet_times_squeezed_total", cpu),
              std::stoul(tokens[2], nullptr, 16));
  }
  // The third line ("ffffffff 00000010 0000000a ... 00000005") says CPU 5 in its index
  // column; node_exporter 1.5 labels it by position.
  EXPECT_EQ(SampleValue(families, "node_softnet_processed_total", {{"cpu", "2"}}), 4294967295.0);
  EXPECT_EQ(SampleValue(families, "node_softnet_dropped_total", {{"cpu", "2"}}), 16);
  EXPECT_FALSE(SampleValue(families, "node_softnet_dropped_total", {{"cpu", "5"}}).has_value());
  for (const auto& family : families) {
    EXPECT_EQ(family.type, prometheus::MetricType::Counter) << family.name;
    EXPECT_EQ(family.metric.size(), lines.size()) << family.name;
  }
  EXPECT_EQ(test::FindFamily(families, "node_softnet_times_squeezed_total")->help,
            "Number of times processing packets ran out of quota");
}

TEST(SoftnetCollectorTest, MalformedAndMissingFail) {
  test::TempDir dir;
  Paths paths;
  paths.procfs = dir.path().string();
  SoftnetCollector collector(paths);
  Families families;
  const Status missing = collector.Collect({}, families);
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find(dir.Sub("net/softnet_stat")), std::string::npos)
      << missing.message();
  test::WriteFile(dir.path() / "net/softnet_stat", "1 0 0 0 0 0 0 0 0\n2 0 0\n");
  const Status malformed = collector.Collect({}, families);
  ASSERT_FALSE(malformed.ok());
  EXPECT_NE(malformed.message().find("line 2"), std::string::npos) << malformed.message();
  EXPECT_TRUE(families.empty());
}

TEST(SoftnetCollectorTest, CpusAppearingBetweenScrapes) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "net/softnet_stat", "1 0 0 0 0 0 0 0 0\n");
  Paths paths;
  paths.procfs = dir.path().string();
  SoftnetCollector collector(paths);
  Families first;
  ASSERT_TRUE(collector.Collect({}, first).ok());
  EXPECT_EQ(test::FindFamily(first, "node_softnet_processed_total")->metric.size(), 1u);
  test::WriteFile(dir.path() / "net/softnet_stat", "a 0 0 0 0 0 0 0 0\nb 0 0 0 0 0 0 0 0\n");
  Families second;
  ASSERT_TRUE(collector.Collect({}, second).ok());
  EXPECT_EQ(SampleValue(second, "node_softnet_processed_total", {{"cpu", "0"}}), 10);
  EXPECT_EQ(SampleValue(second, "node_softnet_processed_total", {{"cpu", "1"}}), 11);
}

}  // namespace
}  // namespace vitals::collectors
