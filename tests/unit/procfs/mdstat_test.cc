#include "procfs/mdstat.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

// Expected per array, read by hand from tests/fixtures/proc/mdstat (prometheus/procfs's
// fixture), with prometheus/procfs 0.8.0's rules: raid0/linear count the "[" of the
// device line, inactive arrays no disks, a sync line changes the state.
struct Expected {
  const char* state;
  int64_t active, total, failed, spare, down, blocks, synced;
};

const std::map<std::string, Expected>& FixtureArrays() {
  static const auto* arrays = new std::map<std::string, Expected>{
      {"md3", {"active", 8, 8, 0, 2, 0, 5853468288, 5853468288}},
      {"md127", {"active", 2, 2, 0, 0, 0, 312319552, 312319552}},
      {"md0", {"active", 2, 2, 0, 0, 0, 248896, 248896}},
      {"md4", {"inactive", 0, 0, 1, 1, 0, 4883648, 4883648}},
      {"md6", {"recovering", 1, 2, 1, 1, 1, 195310144, 16775552}},
      {"md8", {"resyncing", 2, 2, 0, 2, 0, 195310144, 16775552}},
      {"md201", {"checking", 2, 2, 0, 0, 0, 1993728, 114176}},
      {"md7", {"active", 3, 4, 1, 0, 1, 7813735424, 7813735424}},
      {"md9", {"resyncing", 4, 4, 2, 1, 0, 523968, 0}},
      {"md10", {"active", 2, 2, 0, 0, 0, 314159265, 314159265}},
      {"md11", {"resyncing", 2, 2, 1, 2, 0, 4190208, 0}},
      {"md12", {"active", 2, 2, 0, 0, 0, 3886394368, 3886394368}},
      {"md126", {"active", 2, 2, 0, 0, 0, 1855870976, 1855870976}},
      {"md219", {"inactive", 0, 0, 0, 3, 0, 7932, 7932}},
      {"md00", {"active", 1, 1, 0, 0, 0, 4186624, 4186624}},
      {"md120", {"active", 2, 2, 0, 0, 0, 2095104, 2095104}},
      {"md101", {"active", 3, 3, 0, 0, 0, 322560, 322560}},
  };
  return *arrays;
}

TEST(ParseMdStatTest, FixtureEveryLayout) {
  const auto arrays = ParseMdStat(test::ReadFixture("proc/mdstat"));
  ASSERT_TRUE(arrays.ok()) << arrays.error();
  ASSERT_EQ(arrays->size(), FixtureArrays().size());
  for (const MdStat& md : *arrays) {
    SCOPED_TRACE(md.name);
    const auto it = FixtureArrays().find(md.name);
    ASSERT_NE(it, FixtureArrays().end());
    const Expected& e = it->second;
    EXPECT_EQ(md.activity_state, e.state);
    EXPECT_EQ(md.disks_active, e.active);
    EXPECT_EQ(md.disks_total, e.total);
    EXPECT_EQ(md.disks_failed, e.failed);
    EXPECT_EQ(md.disks_spare, e.spare);
    EXPECT_EQ(md.disks_down, e.down);
    EXPECT_EQ(md.blocks_total, e.blocks);
    EXPECT_EQ(md.blocks_synced, e.synced);
  }
  // In the file's order.
  EXPECT_EQ(arrays->front().name, "md3");
  EXPECT_EQ(arrays->back().name, "md101");
}

TEST(ParseMdStatTest, EmptyAndHeaderOnlyAreNoArrays) {
  for (const char* text : {"", "\n", "Personalities : \nunused devices: <none>\n",
                           "Personalities : [raid1]\n\n   \nunused devices: <none>\n"}) {
    const auto arrays = ParseMdStat(text);
    ASSERT_TRUE(arrays.ok()) << arrays.error();
    EXPECT_TRUE(arrays->empty()) << text;
  }
}

constexpr const char* kRaid1 =
    "md0 : active raid1 sdb1[1] sda1[0]\n"
    "      1000 blocks super 1.2 [2/2] [UU]\n"
    "      \n";

TEST(ParseMdStatTest, SmallestArrayNeedsThreeLinesAfterIt) {
  // The final newline gives the third line (empty).
  const auto arrays = ParseMdStat(std::string(kRaid1));
  ASSERT_TRUE(arrays.ok()) << arrays.error();
  ASSERT_EQ(arrays->size(), 1u);
  EXPECT_EQ((*arrays)[0].blocks_synced, 1000);
  EXPECT_EQ((*arrays)[0].disks_active, 2);
}

TEST(ParseMdStatTest, BitmapLineIsSkippedBeforeTheSyncLine) {
  const auto arrays = ParseMdStat(
      "md1 : active raid1 sdb1[1] sda1[0]\n"
      "      1000 blocks [2/1] [_U]\n"
      "      bitmap: 1/8 pages [4KB], 65536KB chunk\n"
      "      [=>....]  recovery = 12.5% (125/1000) finish=1.0min speed=100K/sec\n\n");
  ASSERT_TRUE(arrays.ok()) << arrays.error();
  ASSERT_EQ(arrays->size(), 1u);
  EXPECT_EQ((*arrays)[0].activity_state, "recovering");
  EXPECT_EQ((*arrays)[0].blocks_synced, 125);
  EXPECT_EQ((*arrays)[0].disks_down, 1);
}

TEST(ParseMdStatTest, TruncatedFails) {
  const std::string full = test::ReadFixture("proc/mdstat");
  // Cut after md3's device line, and after its status line without the rest.
  const size_t device_end = full.find('\n', full.find("md3 :"));
  for (const std::string& text : {full.substr(0, device_end), full.substr(0, device_end + 1),
                                  std::string(kRaid1).substr(0, 40)}) {
    const auto arrays = ParseMdStat(text);
    EXPECT_FALSE(arrays.ok()) << text;
  }
  // Cut in the middle of the status line: "5853468288 blocks super 1.2 lev".
  const size_t status_start = device_end + 1;
  const auto cut = ParseMdStat(full.substr(0, status_start + 40) + "\n\n\n");
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.error().find("md3"), std::string::npos) << cut.error();
}

TEST(ParseMdStatTest, GarbageFails) {
  const std::vector<std::string> bad = {
      // Fewer than 3 fields on a device line.
      "md0 :\n  1 blocks [1/1] [U]\n\n\n",
      "garbage\n\n\n\n",
      "\x01\x02\x03 binary \xff\n\n\n\n",
      // Size not a number; no "[t/a] [U]".
      "md0 : active raid1 sda[0]\n  many blocks [1/1] [U]\n\n\n",
      "md0 : active raid1 sda[0]\n  100 blocks\n\n\n",
      "md0 : active raid1 sda[0]\n  100 blocks [1/1] [X]\n\n\n",
      // Totals beyond int64.
      "md0 : active raid1 sda[0]\n  100 blocks [99999999999999999999/1] [U]\n\n\n",
      "md0 : active raid1 sda[0]\n  99999999999999999999 blocks [1/1] [U]\n\n\n",
      // A sync line without its numbers.
      "md0 : active raid1 sda[0]\n  100 blocks [1/1] [U]\n  recovery = 5%\n\n",
      "md0 : active raid1 sda[0]\n  100 blocks [1/1] [U]\n"
      "  recovery = x% (1/100) finish=1min speed=1K/s\n\n",
      "md0 : active raid1 sda[0]\n  100 blocks [1/1] [U]\n"
      "  recovery = 1% (1/100) finish=1min speed=1e400K/s\n\n",
  };
  for (const std::string& text : bad) {
    const auto arrays = ParseMdStat(text);
    EXPECT_FALSE(arrays.ok()) << text;
  }
}

TEST(ParseMdStatTest, GoNumberSyntax) {
  // ParseInt takes a sign; ParseFloat underscores between digits, Inf and hex floats.
  const auto arrays = ParseMdStat(
      "md0 : active raid1 sda[0]\n  +100 blocks [1/1] [U]\n"
      "  check = 1_0.5% (7/100) finish=Infmin speed=0x1p4K/sec\n\n");
  ASSERT_TRUE(arrays.ok()) << arrays.error();
  EXPECT_EQ((*arrays)[0].blocks_total, 100);
  EXPECT_EQ((*arrays)[0].blocks_synced, 7);
  EXPECT_EQ((*arrays)[0].activity_state, "checking");
}

TEST(ParseMdStatTest, PendingAndDelayedSyncHaveNoSyncedBlocks) {
  for (const char* word : {"PENDING", "DELAYED"}) {
    const auto arrays = ParseMdStat("md0 : active raid1 sda[0]\n  100 blocks [1/1] [U]\n  resync=" +
                                    std::string(word) + "\n\n");
    ASSERT_TRUE(arrays.ok()) << arrays.error();
    EXPECT_EQ((*arrays)[0].blocks_synced, 0);
    EXPECT_EQ((*arrays)[0].activity_state, "resyncing");
  }
}

}  // namespace
}  // namespace vitals::procfs
