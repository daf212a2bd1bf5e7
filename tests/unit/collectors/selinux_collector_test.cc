#include "collectors/selinux_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;

// A tree with sysfs/, procfs/ and rootfs/ under `dir`.
Families CollectTree(const test::TempDir& dir) {
  Paths paths;
  paths.sysfs = dir.Sub("sys");
  paths.procfs = dir.Sub("proc");
  paths.rootfs = dir.Sub("root");
  std::filesystem::create_directories(paths.sysfs);
  SelinuxCollector collector(paths);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  return families;
}

TEST(SelinuxCollectorTest, FixtureHostHasNone) {
  // tests/fixtures/sys has no fs/selinux, as this VM: node_exporter 1.5 publishes
  // node_selinux_enabled 0 and nothing else.
  SelinuxCollector collector(test::FixturePaths());
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(SampleValue(families, "node_selinux_enabled"), 0);
  EXPECT_EQ(families[0].help, "SELinux is enabled, 1 is true, 0 is false");
  EXPECT_EQ(families[0].type, prometheus::MetricType::Gauge);
}

TEST(SelinuxCollectorTest, EnforcingHost) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "sys/fs/selinux/enforce", "1");  // No newline, as selinuxfs.
  test::WriteFile(dir.path() / "proc/thread-self/attr/current",
                  std::string("system_u:system_r:node_exporter_t:s0\0", 37));
  test::WriteFile(dir.path() / "root/etc/selinux/config",
                  "SELINUX=enforcing\nSELINUXTYPE=targeted\n");
  const Families families = CollectTree(dir);
  EXPECT_EQ(SampleValue(families, "node_selinux_enabled"), 1);
  EXPECT_EQ(SampleValue(families, "node_selinux_config_mode"), 1);
  EXPECT_EQ(SampleValue(families, "node_selinux_current_mode"), 1);
  const auto* current = test::FindFamily(families, "node_selinux_current_mode");
  ASSERT_NE(current, nullptr);
  EXPECT_EQ(current->help, "Current SELinux enforcement mode");
  const auto* config = test::FindFamily(families, "node_selinux_config_mode");
  ASSERT_NE(config, nullptr);
  EXPECT_EQ(config->help, "Configured SELinux enforcement mode");
}

TEST(SelinuxCollectorTest, PermissiveNowEnforcingConfiguredAndOddValues) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "sys/fs/selinux/enforce", "0");
  test::WriteFile(dir.path() / "root/etc/selinux/config", "SELINUX=permissive\n");
  Families families = CollectTree(dir);
  EXPECT_EQ(SampleValue(families, "node_selinux_enabled"), 1);  // No label file: not "kernel".
  EXPECT_EQ(SampleValue(families, "node_selinux_config_mode"), 0);
  EXPECT_EQ(SampleValue(families, "node_selinux_current_mode"), 0);

  // strconv.Atoi("1\n") fails: go-selinux says -1. No config file: -1.
  test::WriteFile(dir.path() / "sys/fs/selinux/enforce", "1\n");
  std::filesystem::remove(dir.path() / "root/etc/selinux/config");
  families = CollectTree(dir);
  EXPECT_EQ(SampleValue(families, "node_selinux_current_mode"), -1);
  EXPECT_EQ(SampleValue(families, "node_selinux_config_mode"), -1);
}

TEST(SelinuxCollectorTest, KernelLabelOrNoEnforceFileIsDisabled) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "sys/fs/selinux/enforce", "1");
  test::WriteFile(dir.path() / "proc/thread-self/attr/current", std::string("kernel\0", 7));
  Families families = CollectTree(dir);
  EXPECT_EQ(SampleValue(families, "node_selinux_enabled"), 0);
  EXPECT_EQ(families.size(), 1u);

  test::TempDir empty;  // fs/selinux exists, empty: selinuxfs is not mounted.
  std::filesystem::create_directories(empty.path() / "sys/fs/selinux");
  families = CollectTree(empty);
  EXPECT_EQ(SampleValue(families, "node_selinux_enabled"), 0);
  EXPECT_EQ(families.size(), 1u);
}

TEST(SelinuxCollectorTest, MissingSysfsFails) {
  Paths paths = test::FixturePaths();
  paths.sysfs = test::FixturePath("no-such-sys");
  SelinuxCollector collector(paths);
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("no-such-sys"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace vitals::collectors
