#include "collectors/nvme_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::Value;

TEST(NvmeCollectorTest, FixtureController) {
  NvmeCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].type, prometheus::MetricType::Gauge);
  ASSERT_EQ(families[0].metric.size(), 1u);
  // tests/fixtures/sys/class/nvme/nvme0 (prometheus/procfs's): model is space-padded.
  EXPECT_EQ(Value(families, "node_nvme_info",
                  {{"device", "nvme0"},
                   {"firmware_revision", "1B2QEXP7"},
                   {"model", "Samsung SSD 970 PRO 512GB"},
                   {"serial", "S680HF8N190894I"},
                   {"state", "live"}}),
            1);
}

Paths SysAt(const test::TempDir& dir) {
  Paths paths;
  paths.sysfs = dir.path().string();
  return paths;
}

TEST(NvmeCollectorTest, NoNvmePublishesNothingAndSucceeds) {
  test::TempDir dir;
  NvmeCollector collector(SysAt(dir));
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(families.empty());
}

TEST(NvmeCollectorTest, UnreadableAttributeIsAnEmptyLabel) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "class/nvme/nvme1/model", "  Disk  \n");
  test::WriteFile(dir.path() / "class/nvme/nvme1/state", "live\n");
  // serial: a directory, whose read fails (EISDIR), as a driver's EIO would.
  std::filesystem::create_directories(dir.path() / "class/nvme/nvme1/serial");
  NvmeCollector collector(SysAt(dir));
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(Value(families, "node_nvme_info",
                  {{"device", "nvme1"},
                   {"firmware_revision", ""},
                   {"model", "Disk"},
                   {"serial", ""},
                   {"state", "live"}}),
            1);
}

}  // namespace
}  // namespace vitals::collectors
