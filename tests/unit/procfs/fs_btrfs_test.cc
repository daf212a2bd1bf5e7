#include "procfs/fs_btrfs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

const char* kUuid = "0abb23a9-579b-43e6-ad30-227ef47fcb9d";

// tests/fixtures/sys/fs/btrfs (prometheus/procfs's fixture).
TEST(BtrfsTest, Fixture) {
  const std::string root = test::FixturePath("sys/fs/btrfs");
  EXPECT_EQ(ListBtrfsFilesystems(root),
            (std::vector<std::string>{kUuid, "7f07c59f-6136-449c-ab87-e1cf2328731b"}));
  const auto stats = ReadBtrfs(root + "/" + kUuid);
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats->uuid, kUuid);
  EXPECT_EQ(stats->label, "fixture");
  EXPECT_EQ(stats->global_rsv_size, 16777216u);
  EXPECT_EQ(stats->device_sizes,
            (std::map<std::string, uint64_t>{{"loop25", 10737418240}, {"loop26", 10737418240}}));
  ASSERT_EQ(stats->data.layouts.size(), 1u);
  EXPECT_EQ(stats->data.layouts.at("raid0").used_bytes, 808189952u);
  EXPECT_EQ(stats->data.layouts.at("raid0").total_bytes, 2147483648u);
  EXPECT_EQ(stats->data.layouts.at("raid0").ratio, 1);
  EXPECT_EQ(stats->metadata.layouts.at("raid1").ratio, 2);
  // Four devices (dangling links: size 0): raid5 4/3, raid6 4/2.
  const auto raid = ReadBtrfs(root + "/7f07c59f-6136-449c-ab87-e1cf2328731b");
  ASSERT_TRUE(raid.ok()) << raid.error();
  EXPECT_EQ(raid->label, "");
  EXPECT_EQ(raid->device_sizes.size(), 4u);
  EXPECT_EQ(raid->device_sizes.at("loop22"), 0u);
  EXPECT_DOUBLE_EQ(raid->data.layouts.at("raid5").ratio, 4.0 / 3.0);
  EXPECT_EQ(raid->system.layouts.at("raid6").ratio, 2);
}

TEST(BtrfsTest, ProcfsErrorRules) {
  test::TempDir dir;
  const auto fs = dir.path() / "fs-1";
  const std::string label(200, 'x');
  test::WriteFile(fs / "label", "  " + label + "\n");
  test::WriteFile(fs / "devices/sda/size", "8\n");
  test::WriteFile(fs / "features/extended_iref", "0\n");
  test::WriteFile(fs / "allocation/global_rsv_size", "nonsense\n");
  test::WriteFile(fs / "allocation/metadata/bytes_reserved", "-5\n");
  test::WriteFile(fs / "allocation/metadata/raid5/total_bytes", "100\n");
  test::WriteFile(fs / "allocation/metadata/raid5/used_bytes", "  7 \n");
  test::WriteFile(fs / "allocation/system/bytes_reserved", "9\n");
  // No allocation/data: its error is replaced by metadata's (none).
  auto stats = ReadBtrfs(fs.string());
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats->uuid, "fs-1");                  // No metadata_uuid.
  EXPECT_EQ(stats->label, std::string(126, 'x'));  // 128 bytes read, then trimmed.
  EXPECT_EQ(stats->global_rsv_size, 0u);
  EXPECT_EQ(stats->device_sizes.at("sda"), 8u * 512);
  EXPECT_TRUE(stats->data.layouts.empty());
  EXPECT_EQ(stats->metadata.reserved_bytes, 0u);
  EXPECT_EQ(stats->metadata.layouts.at("raid5").used_bytes, 7u);
  EXPECT_TRUE(std::isinf(stats->metadata.layouts.at("raid5").ratio));  // 1 / 0
  EXPECT_EQ(stats->system.reserved_bytes, 9u);

  // No features directory: the values read after it are 0 until allocation/data.
  std::filesystem::remove_all(fs / "features");
  test::WriteFile(fs / "allocation/global_rsv_size", "4096\n");
  stats = ReadBtrfs(fs.string());
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats->global_rsv_size, 0u);
  EXPECT_EQ(stats->system.reserved_bytes, 9u);

  // An unlistable allocation/system fails the filesystem.
  std::filesystem::remove_all(fs / "allocation/system");
  EXPECT_FALSE(ReadBtrfs(fs.string()).ok());
  EXPECT_FALSE(ReadBtrfs((dir.path() / "missing-fs").string()).ok());
}

TEST(BtrfsTest, ParseValue) {
  EXPECT_EQ(ParseBtrfsValue(" 42\n"), 42u);
  for (const char* bad : {"", "-1", "0x10", "1.5", "18446744073709551616", "4 2", "\xff"}) {
    EXPECT_EQ(ParseBtrfsValue(bad), 0u) << bad;
  }
}

}  // namespace
}  // namespace vitals::procfs
