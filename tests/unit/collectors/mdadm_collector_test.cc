#include "collectors/mdadm_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;
using test::Value;

TEST(MdadmCollectorTest, FixtureArrays) {
  MdadmCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 5u);
  for (const auto& family : families) {
    EXPECT_EQ(family.type, prometheus::MetricType::Gauge) << family.name;
  }
  // tests/fixtures/proc/mdstat: "md6 : active raid1 sdb2[2](F) sdc[1](S) sda2[0]",
  // "195310144 blocks [2/1] [U_]", recovering "(16775552/195310144)".
  EXPECT_EQ(Value(families, "node_md_disks_required", {{"device", "md6"}}), 2);
  EXPECT_EQ(Value(families, "node_md_disks", {{"device", "md6"}, {"state", "active"}}), 1);
  EXPECT_EQ(Value(families, "node_md_disks", {{"device", "md6"}, {"state", "failed"}}), 1);
  EXPECT_EQ(Value(families, "node_md_disks", {{"device", "md6"}, {"state", "spare"}}), 1);
  EXPECT_EQ(Value(families, "node_md_blocks", {{"device", "md6"}}), 195310144);
  EXPECT_EQ(Value(families, "node_md_blocks_synced", {{"device", "md6"}}), 16775552);
  EXPECT_EQ(Value(families, "node_md_state", {{"device", "md6"}, {"state", "recovering"}}), 1);
  EXPECT_EQ(Value(families, "node_md_state", {{"device", "md6"}, {"state", "active"}}), 0);
  // md201 checks ("check" label), md9 resync=DELAYED ("resync" label, 0 synced).
  EXPECT_EQ(Value(families, "node_md_state", {{"device", "md201"}, {"state", "check"}}), 1);
  EXPECT_EQ(Value(families, "node_md_state", {{"device", "md9"}, {"state", "resync"}}), 1);
  EXPECT_EQ(Value(families, "node_md_blocks_synced", {{"device", "md9"}}), 0);
  // md219: "inactive sdb[2](S) sdc[1](S) sda[0](S)": 3 spares, no disks required.
  EXPECT_EQ(Value(families, "node_md_state", {{"device", "md219"}, {"state", "inactive"}}), 1);
  EXPECT_EQ(Value(families, "node_md_disks", {{"device", "md219"}, {"state", "spare"}}), 3);
  EXPECT_EQ(Value(families, "node_md_disks_required", {{"device", "md219"}}), 0);
  // 17 arrays; 5 states and 3 disk states each.
  EXPECT_EQ(test::FindFamily(families, "node_md_state")->metric.size(), 17u * 5);
  EXPECT_EQ(test::FindFamily(families, "node_md_disks")->metric.size(), 17u * 3);
  EXPECT_FALSE(SampleValue(families, "node_md_state", {{"device", "md6"}, {"state", "resyncing"}})
                   .has_value());
}

Paths ProcAt(const test::TempDir& dir) {
  Paths paths;
  paths.procfs = dir.path().string();
  return paths;
}

TEST(MdadmCollectorTest, NoMdDriverPublishesNothingAndSucceeds) {
  test::TempDir dir;
  MdadmCollector collector(ProcAt(dir));
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(families.empty());
}

TEST(MdadmCollectorTest, NoArraysPublishesNothing) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "mdstat", "Personalities : \nunused devices: <none>\n");
  MdadmCollector collector(ProcAt(dir));
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(families.empty());
}

TEST(MdadmCollectorTest, MalformedFailsNamingTheFileAndPublishesNothing) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "mdstat", "md0 : active raid1 sda[0]\n  many blocks\n\n\n");
  MdadmCollector collector(ProcAt(dir));
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("mdstat"), std::string::npos) << status.message();
  EXPECT_TRUE(families.empty());
}

}  // namespace
}  // namespace vitals::collectors
