#include "collectors/timex_collector.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "test_util.h"

namespace vitals::collectors {
namespace {

using test::Value;

// A struct timex as adjtimex(2) documents it: offset and jitter in ns under STA_NANO
// (in us without), freq/ppsfreq/stabil in ppm << 16, maxerror/esterror/tick in us.
procfs::Timex Sample(bool nano) {
  procfs::Timex tx;
  tx.state = 0;                              // TIME_OK
  tx.status = 0x0001 | (nano ? 0x2000 : 0);  // STA_PLL (| STA_NANO)
  tx.offset = nano ? -1500000 : -1500;       // -1.5 ms either way
  tx.freq = 10 * 65536;                      // +10 ppm
  tx.maxerror = 16000000;                    // 16 s
  tx.esterror = 250;                         // 250 us
  tx.constant = 7;
  tx.tick = 10000;              // 10 ms
  tx.ppsfreq = -2 * 65536;      // -2 ppm
  tx.jitter = nano ? 3000 : 3;  // 3 us
  tx.shift = 4;                 // 16 s interval, published as is
  tx.stabil = 65536 / 2;        // 0.5 ppm
  tx.jitcnt = 11;
  tx.calcnt = 12;
  tx.errcnt = 13;
  tx.stbcnt = 14;
  tx.tai = 37;
  return tx;
}

Result<procfs::Timex> Nano() { return Sample(true); }
Result<procfs::Timex> Micro() { return Sample(false); }
Result<procfs::Timex> Unsynchronised() {
  procfs::Timex tx = Sample(true);
  tx.state = 5;         // TIME_ERROR
  tx.status |= 0x0040;  // STA_UNSYNC
  return tx;
}
Result<procfs::Timex> Forbidden() { return Error{"adjtimex: Operation not permitted", EPERM}; }
Result<procfs::Timex> Broken() { return Error{"adjtimex: Invalid argument", EINVAL}; }

Families Collect(TimexCollector::Reader reader, Status* status = nullptr) {
  TimexCollector collector(reader);
  Families families;
  const Status collected = collector.Collect({}, families);
  if (status != nullptr) {
    *status = collected;
  } else {
    EXPECT_TRUE(collected.ok()) << collected.message();
  }
  return families;
}

void ExpectNear(double actual, double expected) {
  EXPECT_NEAR(actual, expected, std::abs(expected) * 1e-12);
}

TEST(TimexCollectorTest, NanosecondMode) {
  const Families families = Collect(Nano);
  EXPECT_EQ(families.size(), 17u);
  EXPECT_EQ(Value(families, "node_timex_sync_status"), 1);
  ExpectNear(Value(families, "node_timex_offset_seconds"), -0.0015);
  ExpectNear(Value(families, "node_timex_frequency_adjustment_ratio"), 1.00001);
  EXPECT_EQ(Value(families, "node_timex_maxerror_seconds"), 16);
  ExpectNear(Value(families, "node_timex_estimated_error_seconds"), 0.00025);
  EXPECT_EQ(Value(families, "node_timex_status"), 0x2001);
  EXPECT_EQ(Value(families, "node_timex_loop_time_constant"), 7);
  ExpectNear(Value(families, "node_timex_tick_seconds"), 0.01);
  ExpectNear(Value(families, "node_timex_pps_frequency_hertz"), -2e-6);
  ExpectNear(Value(families, "node_timex_pps_jitter_seconds"), 3e-6);
  EXPECT_EQ(Value(families, "node_timex_pps_shift_seconds"), 4);
  ExpectNear(Value(families, "node_timex_pps_stability_hertz"), 0.5e-6);
  EXPECT_EQ(Value(families, "node_timex_pps_jitter_total"), 11);
  EXPECT_EQ(Value(families, "node_timex_pps_calibration_total"), 12);
  EXPECT_EQ(Value(families, "node_timex_pps_error_total"), 13);
  EXPECT_EQ(Value(families, "node_timex_pps_stability_exceeded_total"), 14);
  EXPECT_EQ(Value(families, "node_timex_tai_offset_seconds"), 37);
  for (const auto& family : families) {
    const bool counter =
        family.name.size() > 6 && family.name.compare(family.name.size() - 6, 6, "_total") == 0;
    EXPECT_EQ(family.type,
              counter ? prometheus::MetricType::Counter : prometheus::MetricType::Gauge)
        << family.name;
  }
}

TEST(TimexCollectorTest, MicrosecondModeConvertsOffsetAndJitterFromMicroseconds) {
  const Families families = Collect(Micro);
  ExpectNear(Value(families, "node_timex_offset_seconds"), -0.0015);
  ExpectNear(Value(families, "node_timex_pps_jitter_seconds"), 3e-6);
  // The others do not depend on STA_NANO.
  EXPECT_EQ(Value(families, "node_timex_maxerror_seconds"), 16);
  ExpectNear(Value(families, "node_timex_tick_seconds"), 0.01);
  EXPECT_EQ(Value(families, "node_timex_status"), 0x0001);
}

TEST(TimexCollectorTest, TimeErrorIsNotSynchronised) {
  const Families families = Collect(Unsynchronised);
  EXPECT_EQ(Value(families, "node_timex_sync_status"), 0);
  EXPECT_EQ(Value(families, "node_timex_status"), 0x2041);
}

TEST(TimexCollectorTest, ForbiddenPublishesNothingAndSucceeds) {
  Status status;
  const Families families = Collect(Forbidden, &status);
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(families.empty());
}

TEST(TimexCollectorTest, OtherErrorsFail) {
  Status status;
  const Families families = Collect(Broken, &status);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("adjtimex"), std::string::npos);
  EXPECT_TRUE(families.empty());
}

TEST(TimexCollectorTest, LiveKernel) {
  // The real adjtimex(2): whatever the clock's state, the tick is positive and the
  // sync status is 0 or 1.
  Status status;
  const Families families = Collect(procfs::ReadTimex, &status);
  ASSERT_TRUE(status.ok()) << status.message();
  if (families.empty()) GTEST_SKIP() << "adjtimex forbidden here";
  EXPECT_EQ(families.size(), 17u);
  EXPECT_GT(Value(families, "node_timex_tick_seconds"), 0);
  const double sync = Value(families, "node_timex_sync_status");
  EXPECT_TRUE(sync == 0 || sync == 1) << sync;
}

}  // namespace
}  // namespace vitals::collectors
