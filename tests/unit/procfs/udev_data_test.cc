#include "procfs/udev_data.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(ParseUdevDataTest, FixtureKeepsOnlyEnvironmentRecords) {
  const std::string text = test::ReadFixture("udev/data/b254:0");
  const UdevProperties properties = ParseUdevData(text);
  // Independent reading: one property per "E:" line, in order.
  UdevProperties expected;
  for (const auto& line : test::Lines(text)) {
    if (line.rfind("E:", 0) != 0) continue;
    const size_t equals = line.find('=');
    expected.emplace_back(line.substr(2, equals - 2), line.substr(equals + 1));
  }
  ASSERT_EQ(expected.size(), 7u);
  EXPECT_EQ(properties, expected);

  EXPECT_EQ(UdevProperty(properties, "ID_SERIAL_SHORT"), "0001");
  EXPECT_EQ(UdevProperty(properties, "ID_MODEL"), "QEMU_HARDDISK");
  EXPECT_EQ(UdevProperty(properties, "ID_PATH"), "pci-0000:00:04.0");  // '=' splits, ':' not.
  EXPECT_EQ(UdevProperty(properties, "ID_REVISION"), "2.5+");
  EXPECT_EQ(UdevProperty(properties, "ID_WWN"), "0x5000c500a1b2c3d4");
  // S:, W:, I: and G: records are not properties.
  for (const auto& [key, value] : properties) {
    EXPECT_NE(key.substr(0, 2), "S:");
    EXPECT_NE(value, "systemd");
    EXPECT_NE(value, "1234567");
  }
}

TEST(ParseUdevDataTest, InlineEdgeCases) {
  const UdevProperties properties = ParseUdevData(
      "E:EMPTY=\n"
      "E:EQUALS=a=b\n"
      "E:NOEQUALS\n"  // Malformed: ignored.
      "E:=novalue\n"  // Malformed: ignored.
      "e:LOWER=x\n"   // Not an E: record.
      " E:INDENTED=x\n"
      "S:disk/by-id/x\n"
      "E:LAST=final");  // No trailing newline.
  const UdevProperties expected = {{"EMPTY", ""}, {"EQUALS", "a=b"}, {"LAST", "final"}};
  EXPECT_EQ(properties, expected);
}

TEST(ParseUdevDataTest, EmptyAndGarbage) {
  EXPECT_TRUE(ParseUdevData("").empty());
  EXPECT_TRUE(ParseUdevData("\n\n").empty());
  EXPECT_TRUE(ParseUdevData("garbage\x01\x02\nmore garbage").empty());
}

TEST(UdevPropertyTest, MissingKeyIsEmptyAndFirstMatchWins) {
  const UdevProperties properties = {{"A", "1"}, {"B", "2"}, {"A", "3"}};
  EXPECT_EQ(UdevProperty(properties, "A"), "1");
  EXPECT_EQ(UdevProperty(properties, "B"), "2");
  EXPECT_EQ(UdevProperty(properties, "C"), "");
  EXPECT_EQ(UdevProperty({}, "A"), "");
}

}  // namespace
}  // namespace vitals::procfs
