#include "collectors/tapestats_collector.h"

#include <gtest/gtest.h>

#include <string>

#include "procfs/class_scsi_tape.h"
#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::SampleValue;
using test::Value;

std::string Stat(const std::string& counter) {
  return test::ReadFixture("sys/class/scsi_tape/st0/stats/" + counter);
}

TEST(TapestatsCollectorTest, FixtureDrive) {
  TapestatsCollector collector(test::FixturePaths(), {});
  Families families;
  const Status status = collector.Collect({}, families);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(families.size(), 10u);
  // tests/fixtures/sys/class/scsi_tape (prometheus/procfs's): st0 and its other-mode
  // names nst0, st0a, ...; only st0 is a drive.
  for (const auto& family : families) {
    EXPECT_EQ(test::LabelValues(family, "device"), (std::vector<std::string>{"st0"}))
        << family.name;
  }
  EXPECT_EQ(Value(families, "node_tape_io_now", {{"device", "st0"}}), std::stod(Stat("in_flight")));
  EXPECT_EQ(Value(families, "node_tape_written_bytes_total", {{"device", "st0"}}),
            std::stod(Stat("write_byte_cnt")));
  EXPECT_EQ(Value(families, "node_tape_io_time_seconds_total", {{"device", "st0"}}),
            std::stod(Stat("io_ns")) * 1e-9);
  EXPECT_EQ(Value(families, "node_tape_read_time_seconds_total", {{"device", "st0"}}),
            std::stod(Stat("read_ns")) * 1e-9);
  EXPECT_EQ(Value(families, "node_tape_residual_total", {{"device", "st0"}}),
            std::stod(Stat("resid_cnt")));
}

TEST(TapestatsCollectorTest, IgnoredDevices) {
  TapestatsOptions options;
  options.devices = *DeviceFilter::Make("", "^st0$");
  TapestatsCollector collector(test::FixturePaths(), options);
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  EXPECT_TRUE(families.empty());
}

TEST(TapestatsCollectorTest, NoTapesPublishesNothingAndBadCounterIsSkipped) {
  test::TempDir dir;
  Paths paths;
  paths.sysfs = dir.path().string();
  {
    TapestatsCollector collector(paths, {});
    Families families;
    EXPECT_TRUE(collector.Collect({}, families).ok());
    EXPECT_TRUE(families.empty());
  }
  test::WriteFile(dir.path() / "class/scsi_tape/st3/stats/read_cnt", "0x10\n");
  test::WriteFile(dir.path() / "class/scsi_tape/st3/stats/write_cnt", "lots\n");
  TapestatsCollector collector(paths, {});
  Families families;
  ASSERT_TRUE(collector.Collect({}, families).ok());
  EXPECT_EQ(Value(families, "node_tape_reads_completed_total", {{"device", "st3"}}), 16);
  EXPECT_FALSE(
      SampleValue(families, "node_tape_writes_completed_total", {{"device", "st3"}}).has_value());
}

TEST(ParseSysfsCounterTest, GoParseUintBase0) {
  EXPECT_EQ(procfs::ParseSysfsCounter("42\n"), 42u);
  EXPECT_EQ(procfs::ParseSysfsCounter("0x1f"), 31u);
  EXPECT_EQ(procfs::ParseSysfsCounter("010"), 8u);
  EXPECT_EQ(procfs::ParseSysfsCounter("1_000"), 1000u);
  EXPECT_EQ(procfs::ParseSysfsCounter("0xffffffffffffffff"), UINT64_MAX);
  for (const char* bad : {"", "-1", "+1", "1.5", "x", "1__0", "18446744073709551616", "0x"}) {
    EXPECT_FALSE(procfs::ParseSysfsCounter(bad).has_value()) << bad;
  }
  EXPECT_TRUE(procfs::IsTapeDevice("st12"));
  for (const char* name : {"st", "nst0", "st0a", "st0l", "sta"}) {
    EXPECT_FALSE(procfs::IsTapeDevice(name)) << name;
  }
}

}  // namespace
}  // namespace vitals::collectors
