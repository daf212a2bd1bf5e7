#include "procfs/zoneinfo.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

size_t Key(std::string_view key) {
  for (size_t k = 0; k < kZoneinfoKeys.size(); ++k) {
    if (kZoneinfoKeys[k] == key) return k;
  }
  ADD_FAILURE() << key;
  return 0;
}

TEST(ParseZoneinfoTest, FixtureZones) {
  // tests/fixtures/proc/zoneinfo (prometheus/procfs's): node 0 with DMA, DMA32, Normal,
  // Movable and Device.
  const auto zones = ParseZoneinfo(test::ReadFixture("proc/zoneinfo"));
  ASSERT_EQ(zones.size(), 5u);
  EXPECT_EQ(zones[0].node, "0");
  EXPECT_EQ(zones[0].zone, "DMA");
  EXPECT_EQ(zones[4].zone, "Device");
  // The per-node stats sit under the node's first zone.
  EXPECT_EQ(zones[0].values[Key("nr_inactive_anon")], 230981);
  EXPECT_FALSE(zones[1].values[Key("nr_inactive_anon")]);
  // "  pages free     3952" is not a key; "nr_free_pages 3952" below it is.
  EXPECT_EQ(zones[0].values[Key("nr_free_pages")], 3952);
  EXPECT_EQ(zones[0].values[Key("spanned")], 4095);
  EXPECT_EQ(zones[0].protection, (std::vector<int64_t>{0, 2877, 7826, 7826, 7826}));
  EXPECT_EQ(zones[2].zone, "Normal");
  EXPECT_EQ(zones[2].values[Key("managed")], 1268711);
  EXPECT_FALSE(zones[3].values[Key("nr_free_pages")]);  // Movable: no vmstat lines.
}

TEST(ParseZoneinfoTest, ValuesAsProcfsReadsThem) {
  const auto zones = ParseZoneinfo(
      "Node 0, zone      DMA\n"
      "  per-node stats\n"
      "      nr_inactive_anon 0x10\n"
      "      nr_active_anon 1_000\n"
      "      nr_dirtied   -5\n"
      "        low      bogus\n"
      "        scanned  7\n"
      "        protection: (0, 2877, x)\n"
      "Node 0, zone   Normal\n"
      "        protection: (1, 2)\n"
      "        protection: (3,4)\n"
      "Node 12, zone Movable-x\n"
      "        spanned 5\n"
      "        spanned\n");
  ASSERT_EQ(zones.size(), 3u);
  EXPECT_EQ(zones[0].values[Key("nr_inactive_anon")], 16);  // ParseInt base 0.
  EXPECT_EQ(zones[0].values[Key("nr_active_anon")], 1000);
  EXPECT_EQ(zones[0].values[Key("nr_dirtied")], -5);
  EXPECT_EQ(zones[0].values[Key("low")], 0);  // Not a number: 0, as ValueParser leaves it.
  EXPECT_EQ(zones[0].values[Key("scanned")], 7);
  EXPECT_TRUE(zones[0].protection.empty());  // One entry does not parse: none kept.
  // "(3,4)" is not split at ", ": the earlier (1, 2) stays.
  EXPECT_EQ(zones[1].protection, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(zones[2].node, "12");
  EXPECT_EQ(zones[2].zone, "Movable");  // \w+ stops at '-'.
  EXPECT_EQ(zones[2].values[Key("spanned")], 5);
}

TEST(ParseZoneinfoTest, EmptyTruncatedAndGarbage) {
  for (const char* text : {"", "Node 0, zone", "Node 0, zone   Normal\n  pages free",
                           "\x01\xff garbage\n\n: : :\nprotection:\n"}) {
    const auto zones = ParseZoneinfo(text);
    ASSERT_EQ(zones.size(), 1u) << text;
    for (const auto& value : zones[0].values) EXPECT_FALSE(value) << text;
    EXPECT_TRUE(zones[0].protection.empty()) << text;
  }
  EXPECT_EQ(ParseZoneinfo("Node 0, zone   Normal\n")[0].zone, "Normal");
  EXPECT_EQ(ParseZoneinfo("Node 0, zone")[0].zone, "");
}

}  // namespace
}  // namespace vitals::procfs
