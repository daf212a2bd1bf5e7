#include "procfs/class_net.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(ParseSysfsIntTest, DecimalAndSigned) {
  EXPECT_EQ(ParseSysfsInt("1400"), 1400);
  EXPECT_EQ(ParseSysfsInt("-1"), -1);  // eth0/speed of virtio.
  EXPECT_EQ(ParseSysfsInt("+7"), 7);
  EXPECT_EQ(ParseSysfsInt("0"), 0);
  EXPECT_EQ(ParseSysfsInt("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(ParseSysfsInt("-9223372036854775808"), INT64_MIN);
}

TEST(ParseSysfsIntTest, BasePrefixesAsGoParseIntBaseZero) {
  EXPECT_EQ(ParseSysfsInt("0x1003"), 0x1003);  // eth0/flags as captured.
  EXPECT_EQ(ParseSysfsInt("0X1a"), 26);
  EXPECT_EQ(ParseSysfsInt("0x0"), 0);  // dev_id.
  EXPECT_EQ(ParseSysfsInt("010"), 8);  // A leading 0 is octal.
  EXPECT_EQ(ParseSysfsInt("0o17"), 15);
  EXPECT_EQ(ParseSysfsInt("0b101"), 5);
  EXPECT_EQ(ParseSysfsInt("-0x10"), -16);
  EXPECT_EQ(ParseSysfsInt("1_000"), 1000);
  EXPECT_EQ(ParseSysfsInt("0x_1f"), 31);
  EXPECT_EQ(ParseSysfsInt("0_7"), 7);
}

TEST(ParseSysfsIntTest, RejectsWhatGoRejects) {
  for (const char* bad : {"",
                          "-",
                          "+",
                          "0x",
                          "0b",
                          "0o",
                          "08",
                          "0b2",
                          "0xg",
                          "1__0",
                          "_1",
                          "1_",
                          "0x1_",
                          "12a",
                          " 1",
                          "1 ",
                          "1.0",
                          "unknown",
                          "+-1",
                          "9223372036854775808",
                          "-9223372036854775809",
                          "0x8000000000000000"}) {
    EXPECT_EQ(ParseSysfsInt(bad), std::nullopt) << '"' << bad << '"';
  }
}

TEST(ListNetClassTest, SkipsRegularFilesSuchAsBondingMasters) {
  // The fixture has bond0, eth0, ifb0, lo and the bonding driver's bonding_masters file.
  const auto names = ListNetClass(test::FixturePath("sys/class/net"));
  ASSERT_TRUE(names.ok()) << names.error();
  EXPECT_EQ(*names, (std::vector<std::string>{"bond0", "eth0", "ifb0", "lo"}));
}

TEST(ListNetClassTest, KeepsSymlinksAsSysfsHasThem) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "devices/virtual/net/veth1/mtu", "1500\n");
  test::WriteFile(dir.path() / "class/net/bonding_masters", "bond0\n");
  std::filesystem::create_directories(dir.path() / "class/net");
  std::filesystem::create_directory_symlink("../../devices/virtual/net/veth1",
                                            dir.path() / "class/net/veth1");
  const auto names = ListNetClass((dir.path() / "class/net").string());
  ASSERT_TRUE(names.ok()) << names.error();
  EXPECT_EQ(*names, (std::vector<std::string>{"veth1"}));
}

TEST(ListNetClassTest, MissingDirectoryFails) {
  const auto names = ListNetClass(test::FixturePath("no-such-dir"));
  ASSERT_FALSE(names.ok());
  EXPECT_TRUE(names.failure().Vanished());
}

TEST(ReadNetClassIfaceTest, FixtureAttributes) {
  FileCache files;
  const std::string dir = test::FixturePath("sys/class/net");
  const NetClassIface eth0 = ReadNetClassIface(files, dir, "eth0");
  // tests/fixtures/sys/class/net/eth0/*, captured 2026-12-03.
  EXPECT_EQ(eth0.flags, 0x1003);
  EXPECT_EQ(eth0.dev_id, 0);
  EXPECT_EQ(eth0.ifindex, 4);
  EXPECT_EQ(eth0.iflink, 4);
  EXPECT_EQ(eth0.carrier, 1);
  EXPECT_EQ(eth0.carrier_changes, 2);
  EXPECT_EQ(eth0.carrier_up_count, 1);
  EXPECT_EQ(eth0.carrier_down_count, 1);
  EXPECT_EQ(eth0.name_assign_type, 1);
  EXPECT_EQ(eth0.tx_queue_len, 1000);
  EXPECT_EQ(eth0.type, 1);
  EXPECT_EQ(eth0.speed, -1);
  EXPECT_EQ(eth0.mtu, 1400);
  const NetClassIface ifb0 = ReadNetClassIface(files, dir, "ifb0");
  EXPECT_EQ(ifb0.carrier, std::nullopt);  // EINVAL live: not captured.
  EXPECT_EQ(ifb0.netdev_group, 8);        // "010", edited: octal.
  EXPECT_EQ(ifb0.link_mode, 0);           // "unknown", edited: 0 as in procfs.
  EXPECT_EQ(ifb0.flags, 0x82);
  EXPECT_EQ(ReadNetClassIface(files, dir, "lo").type, 772);
}

TEST(ReadNetClassIfaceTest, As128ByteReadsOfProcfs) {
  test::TempDir dir;
  const std::string alias(200, 'a');
  test::WriteFile(dir.path() / "veth1/ifalias", alias + "\n");
  test::WriteFile(dir.path() / "veth1/mtu", "");             // Readable, no number: 0.
  test::WriteFile(dir.path() / "veth1/flags", "0x1003 \n");  // Trimmed before parsing.
  test::WriteFile(dir.path() / "veth1/type", "ether");
  FileCache files;
  const NetClassIface veth1 = ReadNetClassIface(files, dir.path().string(), "veth1");
  EXPECT_EQ(veth1.ifalias, alias.substr(0, 128));
  EXPECT_EQ(veth1.mtu, 0);
  EXPECT_EQ(veth1.flags, 0x1003);
  EXPECT_EQ(veth1.type, 0);
  EXPECT_EQ(veth1.carrier, std::nullopt);  // No file.
  EXPECT_EQ(veth1.operstate, "");
}

}  // namespace
}  // namespace vitals::procfs
