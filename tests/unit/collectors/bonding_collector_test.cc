#include "collectors/bonding_collector.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "procfs/bonding.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;
using test::Value;

TEST(BondingCollectorTest, FixtureBond) {
  BondingCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 2u);
  // tests/fixtures/sys/class/net: bonding_masters "bond0", bonding/slaves "eth0 ifb0";
  // lower_eth0 -> ../eth0 (mii_status up), slave_ifb0 -> ../ifb0 (the older prefix,
  // mii_status down).
  EXPECT_EQ(Value(families, "node_bonding_slaves", {{"master", "bond0"}}), 2);
  EXPECT_EQ(Value(families, "node_bonding_active", {{"master", "bond0"}}), 1);
  for (const auto& family : families) {
    EXPECT_EQ(family.type, prometheus::MetricType::Gauge) << family.name;
  }
}

Paths SysAt(const test::TempDir& dir) {
  Paths paths;
  paths.sysfs = dir.path().string();
  return paths;
}

TEST(BondingCollectorTest, NoBondingDriverPublishesNothingAndSucceeds) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "class/net/eth0");
  BondingCollector collector(SysAt(dir));
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(families.empty());
}

TEST(BondingCollectorTest, MasterWithUnreadableSlaveIsLeftOut) {
  test::TempDir dir;
  const auto net = dir.path() / "class/net";
  test::WriteFile(net / "bonding_masters", "bond0  bond1\tbond0\n");
  test::WriteFile(net / "bond0/bonding/slaves", "eth0 eth1\n");
  test::WriteFile(net / "bond0/lower_eth0/bonding_slave/mii_status", " up \n");
  test::WriteFile(net / "bond0/lower_eth1/bonding_slave/mii_status", "going back up\n");
  // bond1 lists eth2, which has neither lower_eth2 nor slave_eth2.
  test::WriteFile(net / "bond1/bonding/slaves", "eth2\n");
  BondingCollector collector(SysAt(dir));
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(Value(families, "node_bonding_slaves", {{"master", "bond0"}}), 2);
  EXPECT_EQ(Value(families, "node_bonding_active", {{"master", "bond0"}}), 1);
  EXPECT_FALSE(SampleValue(families, "node_bonding_slaves", {{"master", "bond1"}}).has_value());
  EXPECT_EQ(test::FindFamily(families, "node_bonding_slaves")->metric.size(), 1u);
}

TEST(ReadBondingTest, EmptyMastersAndSlaves) {
  test::TempDir dir;
  const auto net = dir.path() / "class/net";
  test::WriteFile(net / "bonding_masters", "\n");
  auto state = procfs::ReadBonding(net.string());
  ASSERT_TRUE(state.ok()) << state.error();
  EXPECT_TRUE(state->masters.empty());
  test::WriteFile(net / "bonding_masters", "bond9\n");
  test::WriteFile(net / "bond9/bonding/slaves", "");
  state = procfs::ReadBonding(net.string());
  ASSERT_TRUE(state.ok()) << state.error();
  ASSERT_EQ(state->masters.size(), 1u);
  EXPECT_EQ(state->masters[0].slaves, 0);
}

}  // namespace
}  // namespace vitals::collectors
