#include "procfs/drbd.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

const DrbdValue* Find(const DrbdStatus& status, const std::string& device, const std::string& key) {
  for (const auto& v : status.values) {
    if (v.device == device && v.key == key) return &v;
  }
  return nullptr;
}

TEST(ParseDrbdTest, FixtureDevices) {
  // tests/fixtures/proc/drbd (hand-written from DRBD 8.4's documented /proc/drbd): drbd0
  // connected, drbd1 resyncing (with the progress lines), drbd2 unconfigured.
  const auto status = ParseDrbd(test::ReadFixture("proc/drbd"));
  ASSERT_FALSE(status.error) << *status.error;
  ASSERT_NE(Find(status, "drbd0", "ns"), nullptr);
  EXPECT_EQ(Find(status, "drbd0", "ns")->number, 17324442);
  EXPECT_EQ(Find(status, "drbd1", "oos")->number, 65536);
  EXPECT_EQ(Find(status, "drbd0", "ro")->local, "Primary");
  EXPECT_EQ(Find(status, "drbd0", "ro")->remote, "Secondary");
  EXPECT_EQ(Find(status, "drbd1", "ds")->local, "Inconsistent");
  EXPECT_EQ(Find(status, "drbd2", "cs")->local, "Unconfigured");
  EXPECT_EQ(Find(status, "drbd0", "wo"), nullptr);  // Not published.
  // 12 numbers for drbd0 and drbd1, ro, ds and cs for both, cs for drbd2.
  EXPECT_EQ(status.values.size(), 2u * 12 + 2 * 3 + 1);
}

TEST(ParseDrbdTest, WordsAsNodeExporterSplitsThem) {
  const auto status = ParseDrbd(
      "ns:5 0: cs:WFConnection ro:Primary/Unknown/x ds:Diskless a:b:c nr:1e3 01: ro:Secondary");
  ASSERT_FALSE(status.error);
  EXPECT_EQ(Find(status, "unknown", "ns")->number, 5);  // Before any device line.
  EXPECT_EQ(Find(status, "drbd0", "ro")->remote, "Unknown");
  EXPECT_FALSE(Find(status, "drbd0", "ds")->remote);
  EXPECT_EQ(Find(status, "drbd0", "nr")->number, 1000);
  EXPECT_EQ(Find(status, "drbd1", "ro")->local, "Secondary");  // "01:" is device 1.
  EXPECT_TRUE(ParseDrbd("").values.empty());
  EXPECT_TRUE(ParseDrbd("\x01\xff garbage : ::\n").values.empty());
}

TEST(ParseDrbdTest, BadNumberStopsThere) {
  for (const char* bad : {"x", "0x10", "", "1 kB"}) {
    const std::string text = std::string("0: ns:5 dw:") + bad + " dr:7\n";
    const auto status = ParseDrbd(text);
    if (std::string(bad) == "1 kB") {  // "dw:1" then "kB": a number.
      EXPECT_FALSE(status.error) << text;
      continue;
    }
    ASSERT_TRUE(status.error) << text;
    ASSERT_EQ(status.values.size(), 1u) << text;
    EXPECT_EQ(status.values[0].key, "ns");
  }
}

}  // namespace
}  // namespace vitals::procfs
