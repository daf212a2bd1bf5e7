#include "procfs/diskstats.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

using test::Lines;
using test::ReadFixture;
using test::Tokens;

const DiskStats* Find(const std::vector<DiskStats>& disks, std::string_view name) {
  for (const auto& disk : disks) {
    if (disk.device == name) return &disk;
  }
  return nullptr;
}

TEST(ParseDiskstatsTest, FixtureEveryLineMatches) {
  const std::string text = ReadFixture("proc/diskstats");
  std::vector<DiskStats> disks;
  const Status status = ParseDiskstats(text, disks);
  ASSERT_TRUE(status.ok()) << status.message();
  const auto lines = Lines(text);
  ASSERT_EQ(disks.size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto tokens = Tokens(lines[i]);
    SCOPED_TRACE(lines[i]);
    EXPECT_EQ(disks[i].major, std::stoul(tokens[0]));
    EXPECT_EQ(disks[i].minor, std::stoul(tokens[1]));
    EXPECT_EQ(disks[i].device, tokens[2]);
    ASSERT_EQ(disks[i].field_count, static_cast<int>(tokens.size()) - 3);
    for (int f = 0; f < disks[i].field_count; ++f) {
      EXPECT_EQ(disks[i].fields[f], std::stoull(tokens[3 + f])) << "field " << f;
    }
  }
}

TEST(ParseDiskstatsTest, FixtureKernelFormats) {
  const std::string text = ReadFixture("proc/diskstats");  // Device names point into it.
  std::vector<DiskStats> disks;
  ASSERT_TRUE(ParseDiskstats(text, disks).ok());
  // vda: the live 20-field line (17 counters); vda1: 11 counters (pre-4.18);
  // nvme0n1: 15 counters (4.18-5.4, no flush columns). See tests/fixtures/README.md.
  const auto* vda = Find(disks, "vda");
  ASSERT_NE(vda, nullptr);
  EXPECT_EQ(vda->major, 254u);
  EXPECT_EQ(vda->minor, 0u);
  EXPECT_EQ(vda->field_count, 17);
  EXPECT_EQ(vda->fields[0], 31401u);    // Reads completed.
  EXPECT_EQ(vda->fields[2], 2584618u);  // Sectors read.
  EXPECT_EQ(vda->fields[15], 1331u);    // Flushes.
  EXPECT_EQ(vda->fields[16], 80u);      // Flush ms.
  const auto* vda1 = Find(disks, "vda1");
  ASSERT_NE(vda1, nullptr);
  EXPECT_EQ(vda1->field_count, 11);
  EXPECT_EQ(vda1->fields[10], 1000u);
  const auto* nvme = Find(disks, "nvme0n1");
  ASSERT_NE(nvme, nullptr);
  EXPECT_EQ(nvme->major, 259u);
  EXPECT_EQ(nvme->field_count, 15);
  EXPECT_EQ(nvme->fields[11], 50u);  // Discards completed.
  EXPECT_EQ(Find(disks, "loop7")->field_count, 17);
}

TEST(ParseDiskstatsTest, InlineAndReuse) {
  std::vector<DiskStats> disks(3);
  const Status status = ParseDiskstats(
      "\n   8  16 sdb 1 2 3 4 5 6 7 8 9 10 11\n"
      "   8  17 sdb1 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25",
      disks);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(disks.size(), 2u);
  EXPECT_EQ(disks[0].device, "sdb");
  EXPECT_EQ(disks[0].minor, 16u);
  EXPECT_EQ(disks[0].fields[10], 11u);
  EXPECT_EQ(disks[1].device, "sdb1");
  EXPECT_EQ(disks[1].field_count, 15);
  EXPECT_EQ(disks[1].fields[14], 25u);
}

TEST(ParseDiskstatsTest, EmptyFileHasNoDisks) {
  // A container or VM without block devices has an empty /proc/diskstats.
  std::vector<DiskStats> disks(1);
  EXPECT_TRUE(ParseDiskstats("", disks).ok());
  EXPECT_TRUE(disks.empty());
}

TEST(ParseDiskstatsTest, ExtraColumnsFromNewerKernelsAreIgnored) {
  std::vector<DiskStats> disks;
  const Status status =
      ParseDiskstats("8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20\n", disks);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(disks.size(), 1u);
  EXPECT_EQ(disks[0].field_count, 17);
  EXPECT_EQ(disks[0].fields[16], 17u);
}

TEST(ParseDiskstatsTest, LargestCounterDoesNotWrap) {
  std::vector<DiskStats> disks;
  ASSERT_TRUE(ParseDiskstats("8 0 sda 18446744073709551615 0 0 0 0 0 0 0 0 0 0\n", disks).ok());
  EXPECT_EQ(disks[0].fields[0], 18446744073709551615u);
}

struct BadInput {
  const char* name;
  const char* text;
  // Readable test names in ctest and failure messages.
  friend void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }
};

class ParseDiskstatsBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseDiskstatsBadInputTest, IsAnError) {
  std::vector<DiskStats> disks;
  const Status status = ParseDiskstats(GetParam().text, disks);
  EXPECT_FALSE(status.ok()) << "accepted: " << GetParam().text;
  EXPECT_FALSE(status.message().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseDiskstatsBadInputTest,
    ::testing::Values(
        BadInput{"Garbage", "garbage\n"}, BadInput{"OnlyNumbers", "8 0\n"},
        BadInput{"NoCounters", "8 0 sda\n"},
        BadInput{"TruncatedLine", "8 0 sda 1 2 3 4 5 6 7 8 9 10\n"},
        BadInput{"TruncatedAfterGoodLine", "8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n8 1 sda1 1 2"},
        BadInput{"NonNumericMajor", "x 0 sda 1 2 3 4 5 6 7 8 9 10 11\n"},
        BadInput{"NonNumericCounter", "8 0 sda 1 2 3 4 five 6 7 8 9 10 11\n"},
        BadInput{"NegativeCounter", "8 0 sda 1 2 3 4 -5 6 7 8 9 10 11\n"},
        BadInput{"CounterOverflowsUint64", "8 0 sda 18446744073709551616 2 3 4 5 6 7 8 9 10 11\n"},
        BadInput{"MajorOverflowsUint32", "4294967304 0 sda 1 2 3 4 5 6 7 8 9 10 11\n"},
        BadInput{"MinorOverflowsUint32", "8 4294967296 sda 1 2 3 4 5 6 7 8 9 10 11\n"}),
    test::ParamName());

}  // namespace
}  // namespace vitals::procfs
