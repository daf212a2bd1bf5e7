#include "procfs/fs_xfs.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

// tests/fixtures/sys/fs/xfs/sdc1/stats/stats: prometheus/procfs's proc/fs/xfs/stat.
TEST(XfsStatsTest, Fixture) {
  const auto stats = ParseXfsStats(test::ReadFixture("sys/fs/xfs/sdc1/stats/stats"));
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats->extent_alloc, (std::array<uint32_t, 4>{92447, 97589, 92448, 93751}));
  EXPECT_EQ(stats->blk_map[5], 2140766u);
  EXPECT_EQ(stats->dir[3], 136422u);
  EXPECT_EQ(stats->ig[6], 22u);
  EXPECT_EQ(stats->rw, (std::array<uint32_t, 2>{107739, 94045}));
  EXPECT_EQ(stats->vnodes[0], 92601u);
}

// sys/fs/xfs/vdb: this machine's Linux 6.18 format (rmapbt, refcntbt, defer_relog...).
TEST(XfsStatsTest, NewerKernelLinesAreAccepted) {
  const auto stats = ParseXfsStats(test::ReadFixture("sys/fs/xfs/vdb/stats/stats"));
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats->vnodes, (std::array<uint32_t, 8>{}));
}

TEST(XfsStatsTest, ShortLinesSkippedMissingLinesZero) {
  const auto stats = ParseXfsStats("\n\nrw 1 2\r\nlonely\nvnodes 1 2 3 4 5 6 7\n");
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats->rw, (std::array<uint32_t, 2>{1, 2}));
  EXPECT_EQ(stats->vnodes[6], 7u);
  EXPECT_EQ(stats->vnodes[7], 0u);
  EXPECT_EQ(stats->abt, (std::array<uint32_t, 4>{}));
  EXPECT_TRUE(ParseXfsStats("").ok());
}

TEST(XfsStatsTest, Malformed) {
  const std::string fixture = test::ReadFixture("sys/fs/xfs/sdc1/stats/stats");
  for (const std::string& bad : {
           std::string("rw 1 2 3\n"), std::string("extent_alloc 1 2 3\n"),
           std::string("vnodes 1 2 3 4 5 6\n"), std::string("qm 1 2 3 4 5 6 7\n"),
           std::string("rw 4294967296 0\n"),     // past uint32
           std::string("newline 4294967296\n"),  // unknown, still uint32
           std::string("rw -1 0\n"), std::string("xpc 1 2\n"), std::string("xpc 1 2 x\n"),
           std::string("abt 0x1 0 0 0\n"), std::string("\xff\xfe x\n"),
           fixture.substr(0, fixture.find("push_ail") + 15),  // truncated inside a line
       }) {
    EXPECT_FALSE(ParseXfsStats(bad).ok()) << bad;
  }
  EXPECT_TRUE(ParseXfsStats("xpc 18446744073709551615 0 0\n").ok());
}

}  // namespace
}  // namespace vitals::procfs
