#include "procfs/mountinfo.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

const MountInfo* Find(const std::vector<MountInfo>& mounts, std::string_view mount_point) {
  const MountInfo* found = nullptr;
  for (const auto& mount : mounts) {
    if (mount.mount_point == mount_point) found = &mount;  // Last one: over-mounts.
  }
  return found;
}

TEST(ParseMountinfoTest, FixtureHasOneEntryPerLine) {
  const std::string text = test::ReadFixture("proc/1/mountinfo");
  std::vector<MountInfo> mounts;
  const Status status = ParseMountinfo(text, mounts);
  ASSERT_TRUE(status.ok()) << status.message();
  const auto lines = test::Lines(text);
  ASSERT_EQ(mounts.size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto tokens = test::Tokens(lines[i]);
    SCOPED_TRACE(lines[i]);
    if (tokens[4].find('\\') == std::string::npos) {
      EXPECT_EQ(mounts[i].mount_point, tokens[4]);
    }
    EXPECT_EQ(mounts[i].read_only, tokens[5].rfind("ro,", 0) == 0 || tokens[5] == "ro");
    // Without optional fields the separator is token 6; fstype and source follow it.
    if (tokens[6] == "-") {
      EXPECT_EQ(mounts[i].fs_type, tokens[7]);
      EXPECT_EQ(mounts[i].source, tokens[8]);
    }
  }
}

TEST(ParseMountinfoTest, FixtureRootAndHandWrittenLines) {
  std::vector<MountInfo> mounts;
  ASSERT_TRUE(ParseMountinfo(test::ReadFixture("proc/1/mountinfo"), mounts).ok());

  const auto* root = Find(mounts, "/");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->fs_type, "ext4");
  EXPECT_EQ(root->source, "/dev/vda");
  EXPECT_FALSE(root->read_only);

  // "90 27 254:1 / /srv/data\040dir rw,relatime shared:5 - ext4 /dev/vdb1 rw":
  // escaped space and an optional field before the separator.
  const auto* data = Find(mounts, "/srv/data dir");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->fs_type, "ext4");
  EXPECT_EQ(data->source, "/dev/vdb1");
  EXPECT_FALSE(data->read_only);
  EXPECT_EQ(Find(mounts, "/srv/data\\040dir"), nullptr);

  // "/boot ro,nosuid - vfat /dev/vdb2 rw,...": read-only per mount.
  const auto* boot = Find(mounts, "/boot");
  ASSERT_NE(boot, nullptr);
  EXPECT_EQ(boot->fs_type, "vfat");
  EXPECT_TRUE(boot->read_only);

  const auto* docker = Find(mounts, "/var/lib/docker/overlay2/abc/merged");
  ASSERT_NE(docker, nullptr);
  EXPECT_EQ(docker->fs_type, "overlay");
  EXPECT_EQ(docker->source, "overlay");

  const auto* missing = Find(mounts, "/missing");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->fs_type, "xfs");
  EXPECT_EQ(missing->source, "/dev/vdc");
}

TEST(ParseMountinfoTest, ReadOnlyFromSuperBlockOptions) {
  std::vector<MountInfo> mounts;
  const Status status = ParseMountinfo(
      "1 0 8:1 / /a rw,relatime - ext4 /dev/sda1 ro,errors=remount-ro\n"
      "2 0 8:2 / /b rw,relatime - ext4 /dev/sda2 rw,errors=remount-ro\n"
      "3 0 8:3 / /c rw,rofoo master:1 shared:2 - ext4 /dev/sda3 rw\n",
      mounts);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(mounts.size(), 3u);
  EXPECT_TRUE(mounts[0].read_only);
  EXPECT_FALSE(mounts[1].read_only) << "errors=remount-ro is not 'ro'";
  EXPECT_FALSE(mounts[2].read_only) << "rofoo is not 'ro'";
  EXPECT_EQ(mounts[2].fs_type, "ext4");
  EXPECT_EQ(mounts[2].source, "/dev/sda3");
}

TEST(ParseMountinfoTest, EscapedSourceAndTrailingColumns) {
  std::vector<MountInfo> mounts = {MountInfo{"stale", "x", "y", true}};
  const Status status = ParseMountinfo(
      "36 35 98:0 /x /mnt\\011tab rw - fuse.sshfs me@host:/my\\040dir rw x y\n", mounts);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(mounts.size(), 1u);
  EXPECT_EQ(mounts[0].mount_point, "/mnt\ttab");
  EXPECT_EQ(mounts[0].source, "me@host:/my dir");
  EXPECT_EQ(mounts[0].fs_type, "fuse.sshfs");
}

TEST(ParseMountinfoTest, EmptyTextHasNoMounts) {
  std::vector<MountInfo> mounts(2);
  EXPECT_TRUE(ParseMountinfo("", mounts).ok());
  EXPECT_TRUE(mounts.empty());
}

struct BadInput {
  const char* name;
  const char* text;
  // Readable test names in ctest and failure messages.
  friend void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }
};

class ParseMountinfoBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseMountinfoBadInputTest, IsAnError) {
  std::vector<MountInfo> mounts;
  const Status status = ParseMountinfo(GetParam().text, mounts);
  EXPECT_FALSE(status.ok()) << "accepted: " << GetParam().text;
  EXPECT_FALSE(status.message().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseMountinfoBadInputTest,
    ::testing::Values(BadInput{"Garbage", "garbage\n"},
                      BadInput{"TruncatedBeforeOptions", "22 27 0:21 / /proc\n"},
                      BadInput{"NoSeparator", "22 27 0:21 / /proc rw,relatime proc proc rw\n"},
                      BadInput{"NothingAfterSeparator", "22 27 0:21 / /proc rw,relatime -\n"},
                      BadInput{"NoSourceAfterFsType", "22 27 0:21 / /proc rw,relatime - proc\n"},
                      BadInput{"TruncatedAfterGoodLine",
                               "22 27 0:21 / /proc rw - proc proc rw\n23 27 0:22 / /sys rw"}),
    test::ParamName());

struct UnescapeCase {
  const char* in;
  const char* out;
  // Readable test names in ctest and failure messages.
  friend void PrintTo(const UnescapeCase& c, std::ostream* os) { *os << "\"" << c.in << "\""; }
};

class UnescapeOctalTest : public ::testing::TestWithParam<UnescapeCase> {};

TEST_P(UnescapeOctalTest, Decodes) {
  EXPECT_EQ(UnescapeOctal(GetParam().in), GetParam().out) << "input: " << GetParam().in;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UnescapeOctalTest,
    ::testing::Values(UnescapeCase{"", ""}, UnescapeCase{"/plain/path", "/plain/path"},
                      UnescapeCase{"/srv/data\\040dir", "/srv/data dir"},
                      UnescapeCase{"\\040lead", " lead"}, UnescapeCase{"trail\\040", "trail "},
                      UnescapeCase{"a\\011b\\012c", "a\tb\nc"},
                      UnescapeCase{"back\\134slash", "back\\slash"},
                      UnescapeCase{"\\040\\040", "  "},
                      // Not a complete three-digit octal escape: kept as is.
                      UnescapeCase{"short\\04", "short\\04"}, UnescapeCase{"end\\", "end\\"},
                      UnescapeCase{"nonoctal\\089", "nonoctal\\089"},
                      UnescapeCase{"letters\\x41", "letters\\x41"}));

}  // namespace
}  // namespace vitals::procfs
