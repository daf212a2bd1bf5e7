#include "procfs/textfile_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(TextfileDirTest, ListsOnlyPromFilesSorted) {
  test::TempDir tmp;
  for (const char* name : {"b.prom", "a.prom", "B.prom", ".prom", "x.prom.tmp", "notes.txt"}) {
    test::WriteFile(tmp.path() / name, "");
  }
  std::filesystem::create_directory(tmp.path() / "dir.prom");  // Listed; refused on read.
  const auto names = ListPromFiles(tmp.path().string());
  ASSERT_TRUE(names.ok()) << names.error();
  // Go's strings.HasSuffix(name, ".prom"): ".prom" itself too; bytewise order.
  EXPECT_EQ(*names, (std::vector<std::string>{".prom", "B.prom", "a.prom", "b.prom", "dir.prom"}));
}

TEST(TextfileDirTest, MissingDirectoryFailsWithErrno) {
  test::TempDir tmp;
  const auto names = ListPromFiles(tmp.Sub("missing"));
  ASSERT_FALSE(names.ok());
  EXPECT_NE(names.error().find("missing"), std::string::npos) << names.error();
}

TEST(TextfileDirTest, GlobExpandsSortedAndNoMatchStandsForItself) {
  test::TempDir tmp;
  std::filesystem::create_directories(tmp.path() / "d2");
  std::filesystem::create_directories(tmp.path() / "d1");
  EXPECT_EQ(ExpandDirectoryPattern(tmp.Sub("d*")),
            (std::vector<std::string>{tmp.Sub("d1"), tmp.Sub("d2")}));
  EXPECT_EQ(ExpandDirectoryPattern(tmp.Sub("x*")), (std::vector<std::string>{tmp.Sub("x*")}));
  EXPECT_EQ(ExpandDirectoryPattern(tmp.Sub("d1")), (std::vector<std::string>{tmp.Sub("d1")}));
}

// Go's filepath.Join, as node_exporter names files (checked with node_exporter 1.5:
// --collector.textfile.directory=/tmp/x//d2/ gives file="/tmp/x/d2/a.prom").
TEST(TextfileDirTest, JoinCleanPathIsGosFilepathJoin) {
  EXPECT_EQ(JoinCleanPath("/tmp/x//d2/", "a.prom"), "/tmp/x/d2/a.prom");
  EXPECT_EQ(JoinCleanPath("/var/lib/prometheus/node-exporter", "a.prom"),
            "/var/lib/prometheus/node-exporter/a.prom");
  EXPECT_EQ(JoinCleanPath("../../tmp/./d2", "a.prom"), "../../tmp/d2/a.prom");
  EXPECT_EQ(JoinCleanPath("a/b/../../..", "x.prom"), "../x.prom");
  EXPECT_EQ(JoinCleanPath("/../a/", "x.prom"), "/a/x.prom");
  EXPECT_EQ(JoinCleanPath("./", "x.prom"), "x.prom");
  EXPECT_EQ(JoinCleanPath("/", ".prom"), "/.prom");
  EXPECT_EQ(JoinCleanPath("", ""), ".");
}

TEST(TextfileDirTest, ReadsWholeFileWithMtime) {
  test::TempDir tmp;
  test::WriteFile(tmp.path() / "a.prom", "a 1\n");
  std::string buffer;
  const auto content = ReadTextfile(tmp.Sub("a.prom"), 1024, buffer);
  ASSERT_TRUE(content.ok()) << content.error();
  EXPECT_EQ(content->text, "a 1\n");
  struct stat st {};
  ASSERT_EQ(stat(tmp.Sub("a.prom").c_str(), &st), 0);
  EXPECT_EQ(content->mtime_seconds, st.st_mtim.tv_sec);
}

TEST(TextfileDirTest, SizeCap) {
  test::TempDir tmp;
  test::WriteFile(tmp.path() / "a.prom", std::string(100, 'x'));
  std::string buffer;
  EXPECT_TRUE(ReadTextfile(tmp.Sub("a.prom"), 100, buffer).ok());
  const auto over = ReadTextfile(tmp.Sub("a.prom"), 99, buffer);
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.error().find("larger than 99 bytes"), std::string::npos) << over.error();
}

TEST(TextfileDirTest, RefusesWhatIsNotARegularFile) {
  test::TempDir tmp;
  std::filesystem::create_directory(tmp.path() / "d.prom");
  ASSERT_EQ(mkfifo(tmp.Sub("f.prom").c_str(), 0600), 0);
  std::string buffer;
  for (const char* name : {"d.prom", "f.prom", "missing.prom"}) {
    EXPECT_FALSE(ReadTextfile(tmp.Sub(name), 1024, buffer).ok()) << name;
  }
}

// /proc files report size 0 and change under the reader: refused rather than torn.
TEST(TextfileDirTest, SizeThatDisagreesWithTheBytesReadIsRefused) {
  std::string buffer;
  const auto content = ReadTextfile("/proc/self/stat", 1 << 20, buffer);
  EXPECT_FALSE(content.ok());
}

}  // namespace
}  // namespace vitals::procfs
