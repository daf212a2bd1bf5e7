#include "procfs/net_stat_cache.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

// tests/fixtures/proc/net/stat/arp_cache: prometheus/procfs's, 13 counters, 2 CPUs.
TEST(ParseNetStatCacheTest, Fixture) {
  const auto counters = ParseNetStatCache(test::ReadFixture("proc/net/stat/arp_cache"));
  ASSERT_TRUE(counters.ok()) << counters.error();
  ASSERT_EQ(counters->size(), 13u);
  EXPECT_EQ((*counters)[0].name, "entries");
  EXPECT_EQ((*counters)[0].values, (std::vector<uint64_t>{0x14, 0x14}));
  EXPECT_EQ((*counters)[12].name, "table_fulls");
  EXPECT_EQ((*counters)[12].values, (std::vector<uint64_t>{0xc, 0x18}));
}

TEST(ParseNetStatCacheTest, ShortLinesShiftAndRepeatedNamesCollect) {
  const auto counters = ParseNetStatCache("a b a\n1 2 3\n4\n5 6\n");
  ASSERT_TRUE(counters.ok()) << counters.error();
  ASSERT_EQ(counters->size(), 2u);
  EXPECT_EQ((*counters)[0].values, (std::vector<uint64_t>{1, 3, 4, 5}));
  EXPECT_EQ((*counters)[1].values, (std::vector<uint64_t>{2, 6}));
}

TEST(ParseNetStatCacheTest, EmptyAndHeaderOnly) {
  EXPECT_TRUE(ParseNetStatCache("")->empty());
  const auto header = ParseNetStatCache("entries allocs\n");
  ASSERT_TRUE(header.ok());
  ASSERT_EQ(header->size(), 2u);
  EXPECT_TRUE((*header)[0].values.empty());
}

TEST(ParseNetStatCacheTest, MalformedFails) {
  for (const char* bad :
       {"a\n1 2\n", "a\n0x1\n", "a\nzz\n", "a\n-1\n", "a\n10000000000000000\n", "\n1\n"}) {
    EXPECT_FALSE(ParseNetStatCache(bad).ok()) << bad;
  }
  // An overlong line ends the file quietly (procfs ignores the scanner's error).
  const auto cut = ParseNetStatCache("a\n1\n" + std::string(70000, '2') + "\n3\n");
  ASSERT_TRUE(cut.ok());
  EXPECT_EQ((*cut)[0].values, (std::vector<uint64_t>{1}));
}

}  // namespace
}  // namespace vitals::procfs
