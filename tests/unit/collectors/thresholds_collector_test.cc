#include "collectors/thresholds_collector.h"

#include <gtest/gtest.h>

#include "server/config.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

Families CollectFrom(const std::string& yaml) {
  const auto config = server::ParseConfig(yaml, "c.yml");
  EXPECT_TRUE(config.ok()) << config.error();
  if (!config.ok()) return {};
  ThresholdsCollector collector(config->collector_options.Get<collectors::ThresholdsOptions>());
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  return families;
}

TEST(ThresholdsCollectorTest, PublishesTheLabelShapeTheRulesJoinOn) {
  const Families families = CollectFrom(
      "thresholds:\n"
      "  cpu: {amber: 0.7, red: 0.85}\n"
      "  filesystem:\n"
      "    red: 0.95\n"
      "    mountpoints: {/data: {amber: 0.9, red: 0.98}}\n"
      "  process_memory: {groups: {java: {red: 0.95}}}\n"
      "  probe_cert_expiry_days: {targets: {'db:5432': {amber: 30}}}\n");
  ASSERT_EQ(families.size(), 1u);
  const auto& family = families[0];
  EXPECT_EQ(family.name, "vitals_threshold");
  EXPECT_EQ(family.type, prometheus::MetricType::Gauge);
  EXPECT_FALSE(family.help.empty());
  EXPECT_EQ(family.metric.size(), 7u);  // Only the levels that are set.
  EXPECT_EQ(SampleValue(families, "vitals_threshold", {{"resource", "cpu"}, {"level", "amber"}}),
            0.7);
  EXPECT_EQ(SampleValue(families, "vitals_threshold", {{"resource", "cpu"}, {"level", "red"}}),
            0.85);
  // The host's filesystem value has no mountpoint label: the rules' fallback branch.
  EXPECT_EQ(
      SampleValue(families, "vitals_threshold", {{"resource", "filesystem"}, {"level", "red"}}),
      0.95);
  EXPECT_EQ(
      SampleValue(families, "vitals_threshold", {{"resource", "filesystem"}, {"level", "amber"}}),
      std::nullopt);
  EXPECT_EQ(SampleValue(families, "vitals_threshold",
                        {{"resource", "filesystem"}, {"level", "amber"}, {"mountpoint", "/data"}}),
            0.9);
  EXPECT_EQ(SampleValue(families, "vitals_threshold",
                        {{"resource", "filesystem"}, {"level", "red"}, {"mountpoint", "/data"}}),
            0.98);
  EXPECT_EQ(SampleValue(families, "vitals_threshold",
                        {{"resource", "process_memory"}, {"level", "red"}, {"groupname", "java"}}),
            0.95);
  EXPECT_EQ(
      SampleValue(
          families, "vitals_threshold",
          {{"resource", "probe_cert_expiry_days"}, {"level", "amber"}, {"target", "db:5432"}}),
      30.0);
}

TEST(ThresholdsCollectorTest, NothingConfiguredNoFamily) {
  EXPECT_TRUE(CollectFrom("thresholds:\n  cpu: {}\n").empty());
  EXPECT_TRUE(CollectFrom("").empty());
}

TEST(ThresholdsCollectorTest, KindsAreUniqueAndOrdered) {
  for (const auto& kind : ThresholdKinds()) {
    EXPECT_EQ(FindThresholdKind(kind.resource), &kind);
    if (kind.lower_is_worse) {
      EXPECT_LT(kind.default_red, kind.default_amber) << kind.resource;
    } else {
      EXPECT_LT(kind.default_amber, kind.default_red) << kind.resource;
    }
    EXPECT_EQ(kind.objects_key.empty(), kind.object_label.empty()) << kind.resource;
  }
  EXPECT_EQ(FindThresholdKind("disk"), nullptr);
}

}  // namespace
}  // namespace vitals::collectors
