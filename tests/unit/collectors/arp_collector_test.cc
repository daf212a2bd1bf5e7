#include "collectors/arp_collector.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "collectors/registry.h"
#include "server/config.h"
#include "server/config_error_case.h"
#include "server/flags.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

// Entries per device in the fixture, counted from its text.
std::map<std::string, double> FixtureCounts() {
  std::map<std::string, double> counts;
  const auto lines = test::Lines(test::ReadFixture("proc/net/arp"));
  for (size_t i = 1; i < lines.size(); ++i) counts[test::Tokens(lines[i])[5]] += 1;
  return counts;
}

Families CollectFixture(const CollectorOptions& options = CollectorOptions::Defaults()) {
  const auto collector = FindCollector("arp")->make(test::FixturePaths(), options);
  Families families;
  const Status status = collector->Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  return families;
}

std::vector<std::string> Devices(const Families& families) {
  const auto* family = test::FindFamily(families, "node_arp_entries");
  return family == nullptr ? std::vector<std::string>{} : test::LabelValues(*family, "device");
}

TEST(ArpCollectorTest, FixtureCountsPerDevice) {
  const Families families = CollectFixture();
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].type, prometheus::MetricType::Gauge);
  EXPECT_EQ(families[0].help, "ARP entries by device");
  const auto counts = FixtureCounts();
  EXPECT_EQ(families[0].metric.size(), counts.size());
  for (const auto& [device, count] : counts) {
    EXPECT_EQ(SampleValue(families, "node_arp_entries", {{"device", device}}), count) << device;
  }
  // eth0: the captured entry and a hand-written incomplete one (flags 0x0); ifb0: three.
  EXPECT_EQ(SampleValue(families, "node_arp_entries", {{"device", "eth0"}}), 2);
  EXPECT_EQ(SampleValue(families, "node_arp_entries", {{"device", "ifb0"}}), 3);
  EXPECT_EQ(Devices(families), (std::vector<std::string>{"eth0", "ifb0"}));  // Sorted.
}

Status ApplyFlags(std::vector<std::string> args, server::Config& config) {
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  const auto flags = server::ParseFlags(argv);
  if (!flags.ok()) return Status::Fail(flags.error());
  return server::ApplyCollectorSettings(*flags, config);
}

TEST(ArpCollectorTest, DeviceFlags) {
  server::Config include;
  ASSERT_TRUE(ApplyFlags({"--collector.arp.device-include=^ifb"}, include).ok());
  EXPECT_EQ(Devices(CollectFixture(include.collector_options)), (std::vector<std::string>{"ifb0"}));
  server::Config exclude;
  ASSERT_TRUE(ApplyFlags({"--collector.arp.device-exclude=^ifb"}, exclude).ok());
  EXPECT_EQ(Devices(CollectFixture(exclude.collector_options)), (std::vector<std::string>{"eth0"}));
  // Everything filtered out: no family at all, as node_exporter.
  server::Config none;
  ASSERT_TRUE(ApplyFlags({"--collector.arp.device-include=^nothing$"}, none).ok());
  EXPECT_TRUE(CollectFixture(none.collector_options).empty());
  server::Config both;
  EXPECT_FALSE(
      ApplyFlags({"--collector.arp.device-include=^ifb", "--collector.arp.device-exclude=^eth"},
                 both)
          .ok());
}

TEST(ArpCollectorTest, DeviceFilterFromYaml) {
  const auto config =
      server::ParseConfig("collectors:\n  arp:\n    device_exclude: ^eth\n", "vitals.yml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->collector_options.Get<ArpOptions>().devices.exclude(), "^eth");
  EXPECT_EQ(Devices(CollectFixture(config->collector_options)), (std::vector<std::string>{"ifb0"}));
  EXPECT_TRUE(FindCollector("arp")->enabled_by_default);
}

class ArpConfigErrorTest : public ::testing::TestWithParam<test::ErrorCase> {};

TEST_P(ArpConfigErrorTest, PointsAtTheOffendingToken) { test::ExpectErrorAtToken(GetParam()); }

INSTANTIATE_TEST_SUITE_P(Errors, ArpConfigErrorTest,
                         ::testing::Values(test::ErrorCase{
                             "UnknownKey", "collectors:\n  arp:\n    devices: ^eth\n",
                             "devices:", "unknown key 'devices'"}),
                         test::ParamName());

TEST(ArpCollectorTest, MalformedAndMissingFail) {
  test::TempDir dir;
  Paths paths;
  paths.procfs = dir.path().string();
  ArpCollector collector(paths, ArpOptions{});
  Families families;
  const Status missing = collector.Collect({}, families);
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find(dir.Sub("net/arp")), std::string::npos) << missing.message();
  test::WriteFile(dir.path() / "net/arp",
                  "IP address HW type Flags HW address Mask Device\n192.0.2.1 0x1 0x2\n");
  const Status malformed = collector.Collect({}, families);
  ASSERT_FALSE(malformed.ok());
  EXPECT_NE(malformed.message().find("line 2"), std::string::npos) << malformed.message();
  EXPECT_TRUE(families.empty());
}

}  // namespace
}  // namespace vitals::collectors
