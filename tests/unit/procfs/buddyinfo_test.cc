#include "procfs/buddyinfo.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

// tests/fixtures/proc/buddyinfo: prometheus/procfs's, node 0 zones DMA, DMA32, Normal.
TEST(ParseBuddyinfoTest, Fixture) {
  const auto zones = ParseBuddyinfo(test::ReadFixture("proc/buddyinfo"));
  ASSERT_TRUE(zones.ok()) << zones.error();
  ASSERT_EQ(zones->size(), 3u);
  EXPECT_EQ((*zones)[0].node, "0");
  EXPECT_EQ((*zones)[0].zone, "DMA");
  EXPECT_EQ((*zones)[2].zone, "Normal");
  ASSERT_EQ((*zones)[2].sizes.size(), 11u);
  EXPECT_EQ((*zones)[2].sizes[0], 4381);
  EXPECT_EQ((*zones)[1].sizes[3], 475);
}

TEST(ParseBuddyinfoTest, CommasTrimmedAndNoBuckets) {
  const auto zones = ParseBuddyinfo("Node 1,, zone Movable,\nNode 2 zone X\n");
  ASSERT_TRUE(zones.ok()) << zones.error();
  ASSERT_EQ(zones->size(), 2u);
  EXPECT_EQ((*zones)[0].node, "1");
  EXPECT_EQ((*zones)[0].zone, "Movable");
  EXPECT_TRUE((*zones)[0].sizes.empty());
}

TEST(ParseBuddyinfoTest, EmptyIsNoZones) {
  const auto zones = ParseBuddyinfo("");
  ASSERT_TRUE(zones.ok());
  EXPECT_TRUE(zones->empty());
}

TEST(ParseBuddyinfoTest, MalformedFails) {
  for (const char* bad : {"Node 0, zone\n", "\n", "Node 0, zone DMA 1 2\n\n",
                          "Node 0, zone DMA 1 2\nNode 0, zone DMA32 1\n", "Node 0, zone DMA 1 x\n",
                          "Node 0, zone DMA 1 0x5\n"}) {
    EXPECT_FALSE(ParseBuddyinfo(bad).ok()) << bad;
  }
  // Truncated in the middle of a line: that line has fewer counts than the first.
  const std::string text = test::ReadFixture("proc/buddyinfo");
  EXPECT_FALSE(ParseBuddyinfo(text.substr(0, text.size() - 20)).ok());
  EXPECT_FALSE(ParseBuddyinfo("Node 0, zone DMA " + std::string(70000, '1') + "\n").ok());
}

}  // namespace
}  // namespace vitals::procfs
