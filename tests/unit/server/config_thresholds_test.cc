// The thresholds: section of the configuration file.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>

#include "collectors/thresholds_collector.h"
#include "server/config.h"
#include "server/config_error_case.h"

namespace vitals::server {
namespace {

using Enabled = std::map<std::string, bool, std::less<>>;
using Levels = collectors::ThresholdLevels;

void ExpectLevels(const Levels& levels, std::optional<double> amber, std::optional<double> red) {
  EXPECT_EQ(levels.amber, amber);
  EXPECT_EQ(levels.red, red);
}

TEST(ParseConfigThresholdsTest, AbsentSectionPublishesNothing) {
  const auto config = ParseConfig("collectors:\n  cpu: {}\n", "c.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_TRUE(config->collector_options.Get<collectors::ThresholdsOptions>().resources.empty());
  EXPECT_EQ(config->enabled.count("thresholds"), 0u);
}

TEST(ParseConfigThresholdsTest, EveryResourceHostAndObjects) {
  const auto config = ParseConfig(
      "thresholds:\n"
      "  cpu: {amber: 0.7, red: 0.85}\n"
      "  memory: {red: 0.95}\n"
      "  filesystem:\n"
      "    amber: 0.85\n"
      "    mountpoints:\n"
      "      /data: {amber: 0.95, red: 0.98}\n"
      "      /var/log: {red: 1}\n"
      "  process_cpu:\n"
      "    groups:\n"
      "      postgres: {amber: 0, red: 0.5}\n"
      "  process_memory: {amber: 0.1, red: 0.2, groups: {java: {amber: 0.15}}}\n"
      "  probe_duration_seconds:\n"
      "    red: 10\n"
      "    targets: {'https://slow.example.com/': {amber: 5}}\n"
      "  probe_cert_expiry_days: {amber: 30, red: 10, targets: {'db:5432': {red: 2}}}\n",
      "vitals.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->enabled, (Enabled{{"thresholds", true}}));
  const auto& resources = config->collector_options.Get<collectors::ThresholdsOptions>().resources;
  ASSERT_EQ(resources.size(), 7u);
  EXPECT_EQ(resources[0].kind->resource, "cpu");
  ExpectLevels(resources[0].host, 0.7, 0.85);
  EXPECT_TRUE(resources[0].objects.empty());
  ExpectLevels(resources[1].host, std::nullopt, 0.95);  // Amber stays the rules' default.
  EXPECT_EQ(resources[2].kind->object_label, "mountpoint");
  ExpectLevels(resources[2].host, 0.85, std::nullopt);
  ASSERT_EQ(resources[2].objects.size(), 2u);
  EXPECT_EQ(resources[2].objects[0].first, "/data");
  ExpectLevels(resources[2].objects[0].second, 0.95, 0.98);
  EXPECT_EQ(resources[2].objects[1].first, "/var/log");
  ExpectLevels(resources[2].objects[1].second, std::nullopt, 1.0);
  EXPECT_EQ(resources[3].kind->object_label, "groupname");
  ExpectLevels(resources[3].host, std::nullopt, std::nullopt);
  ExpectLevels(resources[3].objects.at(0).second, 0.0, 0.5);
  ExpectLevels(resources[4].objects.at(0).second, 0.15, std::nullopt);
  EXPECT_EQ(resources[5].kind->object_label, "target");
  ExpectLevels(resources[5].host, std::nullopt, 10.0);
  EXPECT_EQ(resources[5].objects.at(0).first, "https://slow.example.com/");
  ExpectLevels(resources[6].host, 30.0, 10.0);
  ExpectLevels(resources[6].objects.at(0).second, std::nullopt, 2.0);
}

TEST(ParseConfigThresholdsTest, GpusPerIndexAndCelsius) {
  const auto config = ParseConfig(
      "thresholds:\n"
      "  gpu_utilization: {amber: 0.99, red: 1, gpus: {'1': {amber: 0.9, red: 0.95}}}\n"
      "  gpu_memory: {red: 0.97}\n"
      "  gpu_temperature: {amber: 85, red: 95, gpus: {'0': {amber: 70, red: 80}}}\n",
      "vitals.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  const auto& resources = config->collector_options.Get<collectors::ThresholdsOptions>().resources;
  ASSERT_EQ(resources.size(), 3u);
  EXPECT_EQ(resources[0].kind->object_label, "gpu");
  ExpectLevels(resources[0].host, 0.99, 1.0);
  EXPECT_EQ(resources[0].objects.at(0).first, "1");
  ExpectLevels(resources[0].objects.at(0).second, 0.9, 0.95);
  ExpectLevels(resources[1].host, std::nullopt, 0.97);
  EXPECT_EQ(resources[2].kind->unit, collectors::ThresholdUnit::kCelsius);
  ExpectLevels(resources[2].host, 85.0, 95.0);
  ExpectLevels(resources[2].objects.at(0).second, 70.0, 80.0);
}

TEST(ParseConfigThresholdsTest, EnabledFlag) {
  const struct {
    const char* yaml;
    Enabled enabled;
  } cases[] = {
      {"thresholds:\n", {}},
      {"thresholds: {}\n", {}},
      {"thresholds:\n  cpu: {red: 0.95}\n", {{"thresholds", true}}},
      {"collectors:\n  thresholds: {enabled: false}\nthresholds:\n  cpu: {red: 0.95}\n",
       {{"thresholds", false}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.yaml);
    const auto config = ParseConfig(c.yaml, "c.yml");
    ASSERT_TRUE(config.ok()) << config.error();
    EXPECT_EQ(config->enabled, c.enabled);
  }
}

TEST(ParseConfigThresholdsTest, BoundsAreInclusiveForRatios) {
  EXPECT_TRUE(ParseConfig("thresholds:\n  cpu: {amber: 0, red: 1}\n", "c.yml").ok());
  EXPECT_TRUE(ParseConfig("thresholds:\n  cpu: {amber: 0.0, red: 1.0e0}\n", "c.yml").ok());
}

class ParseConfigThresholdsErrorTest : public ::testing::TestWithParam<test::ErrorCase> {};

TEST_P(ParseConfigThresholdsErrorTest, PointsAtTheOffendingToken) {
  test::ExpectErrorAtToken(GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Errors, ParseConfigThresholdsErrorTest,
    ::testing::Values(
        test::ErrorCase{"SectionIsAList", "thresholds: [cpu]\n", "[cpu]",
                        "thresholds must be a mapping"},
        test::ErrorCase{"UnknownResource", "thresholds:\n  disk: {red: 0.9}\n", "disk",
                        "unknown resource 'disk' in thresholds (known: cpu, memory, filesystem, "
                        "process_cpu, process_memory, probe_duration_seconds, "
                        "probe_cert_expiry_days, gpu_utilization, gpu_memory, gpu_temperature)"},
        test::ErrorCase{"GpuTemperatureNotPositive",
                        "thresholds:\n  gpu_temperature: {amber: -5, red: 90}\n", "-5",
                        "thresholds.gpu_temperature.amber must be a positive number of degrees "
                        "Celsius, got '-5'"},
        test::ErrorCase{"GpuUtilizationPercent", "thresholds:\n  gpu_utilization: {red: 95}\n",
                        "95", "thresholds.gpu_utilization.red must be a ratio from 0 to 1"},
        test::ErrorCase{"DuplicateResource", "thresholds:\n  cpu: {red: 0.9}\n  cpu: {red: 0.95}\n",
                        "cpu: {red: 0.95", "duplicate key 'cpu' in thresholds"},
        test::ErrorCase{"UnknownLevel", "thresholds:\n  cpu: {yellow: 0.5}\n", "yellow",
                        "unknown key 'yellow' in thresholds.cpu (allowed: amber, red)"},
        test::ErrorCase{"ObjectsOnAHostResource",
                        "thresholds:\n  memory: {groups: {a: {red: 0.5}}}\n", "groups",
                        "unknown key 'groups' in thresholds.memory (allowed: amber, red)"},
        test::ErrorCase{"WrongObjectsKey",
                        "thresholds:\n  filesystem:\n    groups: {a: {red: 0.5}}\n", "groups",
                        "(allowed: amber, red, mountpoints)"},
        test::ErrorCase{"NotANumber", "thresholds:\n  cpu: {red: high}\n", "high",
                        "thresholds.cpu.red must be a number, got 'high'"},
        test::ErrorCase{"NaN", "thresholds:\n  cpu: {red: .nan}\n", ".nan",
                        "thresholds.cpu.red must be a number"},
        test::ErrorCase{"PercentNotRatio", "thresholds:\n  cpu: {red: 90}\n", "90",
                        "thresholds.cpu.red must be a ratio from 0 to 1 (0.9 = 90 %), got '90'"},
        test::ErrorCase{"NegativeRatio", "thresholds:\n  cpu: {amber: -0.1}\n", "-0.1",
                        "thresholds.cpu.amber must be a ratio from 0 to 1"},
        test::ErrorCase{"AmberAboveRed", "thresholds:\n  cpu: {amber: 0.9, red: 0.8}\n", "{amber",
                        "thresholds.cpu: amber (0.9) must be below red (0.8)"},
        test::ErrorCase{"AmberEqualsRed", "thresholds:\n  cpu: {amber: 0.8, red: 0.8}\n", "{amber",
                        "amber (0.8) must be below red (0.8)"},
        test::ErrorCase{"RedBelowDefaultAmber", "thresholds:\n  memory:\n    red: 0.5\n",
                        "red: 0.5",
                        "thresholds.memory: amber (0.8, inherited) must be below red (0.5)"},
        test::ErrorCase{"ObjectBelowHostAmber",
                        "thresholds:\n  filesystem:\n    amber: 0.9\n    red: 0.95\n"
                        "    mountpoints:\n      /data: {red: 0.85}\n",
                        "{red: 0.85",
                        "thresholds.filesystem.mountpoints./data: amber (0.9, inherited) must "
                        "be below red (0.85)"},
        test::ErrorCase{"DuplicateMountpoint",
                        "thresholds:\n  filesystem:\n    mountpoints:\n      /a: {red: 0.95}\n"
                        "      /a: {red: 0.97}\n",
                        "/a: {red: 0.97",
                        "duplicate key '/a' in thresholds.filesystem.mountpoints"},
        test::ErrorCase{"ObjectNotAMap",
                        "thresholds:\n  process_cpu:\n    groups:\n      web: 0.5\n", "0.5",
                        "thresholds.process_cpu.groups.web must be a mapping, got '0.5'"},
        test::ErrorCase{"ZeroSeconds", "thresholds:\n  probe_duration_seconds: {amber: 0}\n", "0}",
                        "thresholds.probe_duration_seconds.amber must be a positive number of "
                        "seconds"},
        test::ErrorCase{"CertDaysWrongOrder",
                        "thresholds:\n  probe_cert_expiry_days: {amber: 7, red: 14}\n", "{amber",
                        "amber (7) must be above red (14)"},
        test::ErrorCase{"CertTargetBelowRed",
                        "thresholds:\n  probe_cert_expiry_days:\n    targets:\n"
                        "      'db:5432': {amber: 5}\n",
                        "{amber: 5", "amber (5) must be above red (7, inherited)"}));

}  // namespace
}  // namespace vitals::server
