#include "procfs/schedstat.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(ParseSchedstatTest, Fixture) {
  // tests/fixtures/proc/schedstat: prometheus/procfs's fixture plus three edited lines.
  const auto cpus = ParseSchedstat(test::ReadFixture("proc/schedstat"));
  ASSERT_EQ(cpus.size(), 3u);
  EXPECT_EQ(cpus[0].cpu, "0");
  EXPECT_EQ(cpus[0].running_ns, 2045936778163039u);
  EXPECT_EQ(cpus[0].waiting_ns, 343796328169361u);
  EXPECT_EQ(cpus[0].timeslices, 4767485306u);
  EXPECT_EQ(cpus[1].cpu, "1");
  EXPECT_EQ(cpus[1].timeslices, 5145567945u);
  // cpu2 (2^64) and cpu3 (eight numbers) are skipped; cpu4 has a tenth number.
  EXPECT_EQ(cpus[2].cpu, "4");
  EXPECT_EQ(cpus[2].running_ns, 1000000000u);
  EXPECT_EQ(cpus[2].waiting_ns, 500000000u);
  EXPECT_EQ(cpus[2].timeslices, 7u);
}

TEST(ParseSchedstatTest, UnanchoredAsGoRegexp) {
  // node_exporter's regexp is not anchored: the leftmost match anywhere in a line
  // counts, and the CPU digits are kept as written.
  const auto cpus = ParseSchedstat(
      "xcpu007 1 2 3 4 5 6 7 8 9\n"
      "cpu1 x cpu2 1 2 3 4 5 6 70 80 90\n"
      "cpu3 1 2 3 4 5 6 7 8 9");  // No final newline.
  ASSERT_EQ(cpus.size(), 3u);
  EXPECT_EQ(cpus[0].cpu, "007");
  EXPECT_EQ(cpus[0].running_ns, 7u);
  EXPECT_EQ(cpus[1].cpu, "2");
  EXPECT_EQ(cpus[1].timeslices, 90u);
  EXPECT_EQ(cpus[2].cpu, "3");
}

TEST(ParseSchedstatTest, MalformedLinesAreSkipped) {
  for (const char* text :
       {"", "\n", "version 15\n", "cpu0\n", "cpu 1 2 3 4 5 6 7 8 9\n", "cpu0 1 2 3 4 5 6 7 8\n",
        "cpu0  1 2 3 4 5 6 7 8 9\n", "cpu0\t1 2 3 4 5 6 7 8 9\n", "cpu0 1 2 3 4 5 6 -7 8 9\n",
        "cpu0 1 2 3 4 5 6 7 8 18446744073709551616\n", "domain0 00000000,00000003 1 2 3\n"}) {
    EXPECT_TRUE(ParseSchedstat(text).empty()) << '"' << text << '"';
  }
  // Past uint64 only in the numbers node_exporter does not read: kept.
  const auto cpus = ParseSchedstat("cpu0 99999999999999999999 2 3 4 5 6 7 8 9\n");
  ASSERT_EQ(cpus.size(), 1u);
  EXPECT_EQ(cpus[0].running_ns, 7u);
  EXPECT_EQ(ParseSchedstat("cpu0 1 2 3 4 5 6 18446744073709551615 0 0\n")[0].running_ns,
            18446744073709551615u);
}

TEST(ParseSchedstatTest, OverlongLineEndsTheParse) {
  // bufio.Scanner gives up on a line of 64 KiB: what came before is kept.
  const std::string text =
      "cpu0 1 2 3 4 5 6 7 8 9\n" + std::string(64 * 1024, 'x') + "\ncpu1 1 2 3 4 5 6 7 8 9\n";
  const auto cpus = ParseSchedstat(text);
  ASSERT_EQ(cpus.size(), 1u);
  EXPECT_EQ(cpus[0].cpu, "0");
  const std::string shorter =
      "cpu0 1 2 3 4 5 6 7 8 9\n" + std::string(64 * 1024 - 1, 'x') + "\ncpu1 1 2 3 4 5 6 7 8 9\n";
  EXPECT_EQ(ParseSchedstat(shorter).size(), 2u);
}

}  // namespace
}  // namespace vitals::procfs
