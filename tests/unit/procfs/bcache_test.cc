#include "procfs/bcache.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

constexpr const char* kSet = "sys/fs/bcache/deaddd54-c735-46d5-868e-f331c5fd7c74/";

TEST(BcacheDehumanizeTest, KernelHprintForms) {
  EXPECT_EQ(BcacheDehumanize("0"), 0u);
  EXPECT_EQ(BcacheDehumanize("546"), 546u);
  // "<int>.<digit><unit>": int + digit / 10.24, times the binary unit.
  EXPECT_EQ(BcacheDehumanize("790.0k"), 790u * 1024);
  EXPECT_EQ(BcacheDehumanize("1.1M"), 1150976u);                    // 1.09765625 MiB.
  EXPECT_EQ(BcacheDehumanize("20.4G"), 21894266880u);               // 20.390625 GiB.
  EXPECT_EQ(BcacheDehumanize("1.10M"), 2072576u);                   // ".10" is 10 / 10.24.
  EXPECT_EQ(BcacheDehumanize("3.2.5G"), BcacheDehumanize("3.2G"));  // Past the 2nd dot: ignored.
  EXPECT_EQ(BcacheDehumanize("2Y"), std::nullopt);                  // 2^81: past 2^64.
  EXPECT_EQ(BcacheDehumanize("15E"), 15ull << 60);
  // Without a unit, a Go float truncated; an unknown unit multiplies by 0.
  EXPECT_EQ(BcacheDehumanize("2.5"), 2u);
  EXPECT_EQ(BcacheDehumanize("1e3"), 1000u);
  EXPECT_EQ(BcacheDehumanize("+7"), 7u);
  EXPECT_EQ(BcacheDehumanize("5x"), 0u);
  for (const char* bad : {"", "k", ".5k", "a", "ab", "1.k", "1.xk", "-1", "1e999", "nan", "inf",
                          "++1", " 7", "7 ", "1,5"}) {
    EXPECT_FALSE(BcacheDehumanize(bad).has_value()) << bad;
  }
}

TEST(BcacheDehumanizeTest, SignedAndFiles) {
  EXPECT_EQ(BcacheDehumanizeSigned("-427.5k"), -437748);
  EXPECT_EQ(BcacheDehumanizeSigned("321.5k"), 329204);
  EXPECT_FALSE(BcacheDehumanizeSigned("--1").has_value());
  EXPECT_FALSE(BcacheDehumanizeSigned("-").has_value());
  // The file's last byte is dropped whatever it is.
  EXPECT_EQ(ParseBcacheValue("546\n"), 546u);
  EXPECT_EQ(ParseBcacheValue("546"), 54u);
  EXPECT_FALSE(ParseBcacheValue("").has_value());
  EXPECT_FALSE(ParseBcacheValue("\n").has_value());
  EXPECT_EQ(ParseBcacheValue(
                test::ReadFixture(std::string(kSet) + "internal/btree_read_average_duration_us")),
            1305u);
}

TEST(BcacheWritebackRateDebugTest, Fixture) {
  const auto debug = ParseBcacheWritebackRateDebug(
      test::ReadFixture(std::string(kSet) + "bdev0/writeback_rate_debug"));
  EXPECT_EQ(debug.rate, 1150976u);       // "1.1M/sec"
  EXPECT_EQ(debug.dirty, 21894266880u);  // "20.4G"
  EXPECT_EQ(debug.target, 21894266880u);
  EXPECT_EQ(debug.proportional, 437748);  // "427.5k"
  EXPECT_EQ(debug.integral, 808960);      // "790.0k"
  EXPECT_EQ(debug.change, 329204);        // "321.5k/sec"
}

TEST(BcacheWritebackRateDebugTest, MissingAndMalformedLines) {
  const auto empty = ParseBcacheWritebackRateDebug("");
  EXPECT_EQ(empty.rate, 0u);
  EXPECT_EQ(empty.change, 0);
  const auto bad = ParseBcacheWritebackRateDebug(
      "rate:\ndirty: 1k\ntarget: lots\nproportional: -1.5k\nintegral: -x\nchange: 1k/min\n"
      "next io: garbage\nnonsense\n");
  EXPECT_FALSE(bad.rate.has_value());
  EXPECT_EQ(bad.dirty, 1024u);
  EXPECT_FALSE(bad.target.has_value());
  EXPECT_EQ(bad.proportional, -1524);  // -(1 + 5 / 10.24) KiB, truncated.
  EXPECT_FALSE(bad.integral.has_value());
  EXPECT_FALSE(bad.change.has_value());
}

TEST(BcachePriorityStatsTest, FixtureAndMalformed) {
  const auto stats =
      ParseBcachePriorityStats(test::ReadFixture(std::string(kSet) + "cache0/priority_stats"));
  EXPECT_EQ(stats.unused_percent, 99u);
  EXPECT_EQ(stats.metadata_percent, 0u);
  const auto bad = ParseBcachePriorityStats("Unused:\nMetadata: 1.5%\n");
  EXPECT_FALSE(bad.unused_percent.has_value());
  EXPECT_FALSE(bad.metadata_percent.has_value());
  const auto none = ParseBcachePriorityStats("Average: 10473\n");
  EXPECT_EQ(none.unused_percent, 0u);
}

}  // namespace
}  // namespace vitals::procfs
