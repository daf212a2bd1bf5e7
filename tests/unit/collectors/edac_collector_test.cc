#include "collectors/edac_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "procfs/edac.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;
using test::Value;

TEST(EdacCollectorTest, FixtureControllers) {
  EdacCollector collector(test::FixturePaths());
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 4u);
  for (const auto& family : families) {
    EXPECT_EQ(family.type, prometheus::MetricType::Counter) << family.name;
  }
  // tests/fixtures/sys/devices/system/edac/mc (hand-written from the kernel's ABI
  // document): mc0 with csrow0 and csrow1, mc1 without csrows.
  const auto file = [](const std::string& relative) {
    return std::stod(test::ReadFixture("sys/devices/system/edac/mc/" + relative));
  };
  EXPECT_EQ(Value(families, "node_edac_correctable_errors_total", {{"controller", "0"}}),
            file("mc0/ce_count"));
  EXPECT_EQ(Value(families, "node_edac_uncorrectable_errors_total", {{"controller", "1"}}),
            file("mc1/ue_count"));
  EXPECT_EQ(Value(families, "node_edac_csrow_correctable_errors_total",
                  {{"controller", "1"}, {"csrow", "unknown"}}),
            file("mc1/ce_noinfo_count"));
  EXPECT_EQ(Value(families, "node_edac_csrow_uncorrectable_errors_total",
                  {{"controller", "0"}, {"csrow", "unknown"}}),
            file("mc0/ue_noinfo_count"));
  EXPECT_EQ(Value(families, "node_edac_csrow_uncorrectable_errors_total",
                  {{"controller", "0"}, {"csrow", "1"}}),
            file("mc0/csrow1/ue_count"));
  EXPECT_EQ(Value(families, "node_edac_csrow_correctable_errors_total",
                  {{"controller", "0"}, {"csrow", "0"}}),
            file("mc0/csrow0/ce_count"));
  EXPECT_EQ(test::FindFamily(families, "node_edac_csrow_correctable_errors_total")->metric.size(),
            4u);
}

Paths SysAt(const test::TempDir& dir) {
  Paths paths;
  paths.sysfs = dir.path().string();
  return paths;
}

TEST(EdacCollectorTest, NoEdacPublishesNothingAndSucceeds) {
  test::TempDir dir;
  EdacCollector collector(SysAt(dir));
  Families families;
  const Status status = collector.Collect({}, families);
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(families.empty());
}

TEST(EdacCollectorTest, BadOrMissingCounterSkipsOnlyThatSample) {
  test::TempDir dir;
  const auto mc = dir.path() / "devices/system/edac/mc/mc2";
  test::WriteFile(mc / "ce_count", "7\n");
  test::WriteFile(mc / "ue_count", "-1\n");          // Not a uint64.
  test::WriteFile(mc / "ce_noinfo_count", "\n");     // Empty.
  test::WriteFile(mc / "csrow3/ce_count", " 9 \n");  // Trimmed.
  EdacCollector collector(SysAt(dir));
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(Value(families, "node_edac_correctable_errors_total", {{"controller", "2"}}), 7);
  EXPECT_FALSE(SampleValue(families, "node_edac_uncorrectable_errors_total", {{"controller", "2"}})
                   .has_value());
  EXPECT_FALSE(SampleValue(families, "node_edac_csrow_correctable_errors_total",
                           {{"controller", "2"}, {"csrow", "unknown"}})
                   .has_value());
  EXPECT_EQ(Value(families, "node_edac_csrow_correctable_errors_total",
                  {{"controller", "2"}, {"csrow", "3"}}),
            9);
}

TEST(ParseEdacCountTest, DecimalUint64Only) {
  EXPECT_EQ(procfs::ParseEdacCount("0\n"), 0u);
  EXPECT_EQ(procfs::ParseEdacCount("18446744073709551615"), UINT64_MAX);
  for (const char* bad :
       {"", "\n", "-1", "+1", "0x10", "1 2", "18446744073709551616", "1.0", "abc", "\xff"}) {
    EXPECT_FALSE(procfs::ParseEdacCount(bad).has_value()) << bad;
  }
}

TEST(GlobNumberedEntriesTest, NamesWithPrefixAndDigit) {
  test::TempDir dir;
  for (const char* name : {"mc0", "mc12", "mc3x", "mc", "mcx", "other"}) {
    std::filesystem::create_directories(dir.path() / name);
  }
  const auto entries = procfs::GlobNumberedEntries(dir.path().string(), "mc");
  ASSERT_TRUE(entries.ok()) << entries.error();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].number, "0");
  EXPECT_EQ((*entries)[1].number, "12");
  EXPECT_EQ((*entries)[2].number, "3");
  EXPECT_TRUE(procfs::GlobNumberedEntries((dir.path() / "none").string(), "mc")->empty());
}

}  // namespace
}  // namespace vitals::collectors
