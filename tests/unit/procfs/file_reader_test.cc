#include "procfs/file_reader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

using test::TempDir;
using test::WriteFile;

TEST(FileReaderTest, ReadsWholeFile) {
  TempDir dir;
  WriteFile(dir.path() / "stat", "cpu0 1 2 3 4\n");
  FileReader reader(dir.Sub("stat"));
  EXPECT_EQ(reader.path(), dir.Sub("stat"));
  const auto text = reader.Read();
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_EQ(*text, "cpu0 1 2 3 4\n");
}

TEST(FileReaderTest, ReadsFixtureLikeTheFileItself) {
  FileReader reader(test::FixturePath("proc/meminfo"));
  const auto text = reader.Read();
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_EQ(*text, test::ReadFixture("proc/meminfo"));
}

TEST(FileReaderTest, RereadsAfterRewrite) {
  TempDir dir;
  WriteFile(dir.path() / "loadavg", "1.00 2.00 3.00 1/2 3\n");
  FileReader reader(dir.Sub("loadavg"));
  ASSERT_TRUE(reader.Read().ok());
  // Rewritten in place (truncated): a longer, then a shorter content.
  WriteFile(dir.path() / "loadavg", "10.00 20.00 30.00 4/50 6789\n");
  auto text = reader.Read();
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_EQ(*text, "10.00 20.00 30.00 4/50 6789\n");
  WriteFile(dir.path() / "loadavg", "0\n");
  text = reader.Read();
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_EQ(*text, "0\n");
}

TEST(FileReaderTest, EmptyFileReadsEmpty) {
  TempDir dir;
  WriteFile(dir.path() / "empty", "");
  FileReader reader(dir.Sub("empty"));
  const auto text = reader.Read();
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_TRUE(text->empty());
}

TEST(FileReaderTest, MissingFileIsAnErrorNamingThePath) {
  TempDir dir;
  FileReader reader(dir.Sub("does-not-exist"));
  const auto text = reader.Read();
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().find(dir.Sub("does-not-exist")), std::string::npos) << text.error();
  EXPECT_NE(text.error().find("No such file"), std::string::npos) << text.error();
  // It recovers once the file appears.
  WriteFile(dir.path() / "does-not-exist", "now\n");
  const auto again = reader.Read();
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(*again, "now\n");
}

TEST(FileReaderTest, DirectoryIsAnError) {
  TempDir dir;
  FileReader reader(dir.path().string());
  EXPECT_FALSE(reader.Read().ok());
}

TEST(FileReaderTest, GrowsBufferPastFourKiB) {
  TempDir dir;
  // 10000 bytes of distinct lines, so a truncated or repeated chunk would not compare equal.
  std::string content;
  for (int i = 0; content.size() < 10000; ++i) content += "line " + std::to_string(i) + "\n";
  content.resize(10000);
  WriteFile(dir.path() / "big", content);
  FileReader reader(dir.Sub("big"));
  const auto text = reader.Read();
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_EQ(text->size(), 10000u);
  EXPECT_EQ(*text, content);
}

TEST(FileReaderTest, ExactlyFourKiB) {
  TempDir dir;
  const std::string content(4096, 'x');
  WriteFile(dir.path() / "page", content);
  FileReader reader(dir.Sub("page"));
  const auto text = reader.Read();
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_EQ(*text, content);
}

TEST(ReadFileAtTest, ReadsRelativeToDirectory) {
  TempDir dir;
  WriteFile(dir.path() / "net" / "mtu", "1500\n");
  const int dir_fd = open(dir.Sub("net").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(dir_fd, 0);
  std::string buffer;
  const auto text = ReadFileAt(dir_fd, "mtu", buffer);
  const auto missing = ReadFileAt(dir_fd, "speed", buffer);
  close(dir_fd);
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_EQ(*text, "1500\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("speed"), std::string::npos) << missing.error();
}

TEST(ReadSmallFileTest, StripsTrailingNewlines) {
  TempDir dir;
  WriteFile(dir.path() / "operstate", "up\n\n");
  const auto text = ReadSmallFile(dir.Sub("operstate"));
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_EQ(*text, "up");
  EXPECT_FALSE(ReadSmallFile(dir.Sub("absent")).ok());
}

struct JoinCase {
  const char* root;
  const char* relative;
  const char* joined;
  // Readable test names in ctest and failure messages.
  friend void PrintTo(const JoinCase& c, std::ostream* os) {
    *os << "\"" << c.root << "\" + \"" << c.relative << "\"";
  }
};

class JoinPathTest : public ::testing::TestWithParam<JoinCase> {};

TEST_P(JoinPathTest, Joins) {
  EXPECT_EQ(JoinPath(GetParam().root, GetParam().relative), GetParam().joined);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, JoinPathTest,
    ::testing::Values(
        JoinCase{"/proc", "stat", "/proc/stat"}, JoinCase{"/proc/", "stat", "/proc/stat"},
        JoinCase{"/proc", "/stat", "/proc/stat"}, JoinCase{"/proc//", "//net/dev", "/proc/net/dev"},
        JoinCase{"/", "proc", "/proc"}, JoinCase{"/", "/", "/"}, JoinCase{"/", "", "/"},
        JoinCase{"/rootfs", "", "/rootfs"}, JoinCase{"/rootfs/", "/", "/rootfs"},
        JoinCase{"tests/fixtures/proc", "1/mountinfo", "tests/fixtures/proc/1/mountinfo"}));

// A seq_file with many records returns about one page per read: /proc/self/maps of a
// test binary is several pages, and on x86_64 its last line is always [vsyscall]. A
// reader that stopped at the first short read would end in the middle.
TEST(FileReaderTest, ReadsMultiRecordProcFilesToTheEnd) {
  FileReader reader("/proc/self/maps");
  const auto content = reader.Read();
  ASSERT_TRUE(content.ok()) << content.error();
  ASSERT_GT(content->size(), 8192u) << "too small to exercise page-sized reads";
#if defined(__x86_64__)
  EXPECT_TRUE(content->ends_with("[vsyscall]\n")) << content->substr(content->size() - 200);
#endif
  // A second read from the same open fd starts over at offset 0 and is complete too.
  const auto again = reader.Read();
  ASSERT_TRUE(again.ok());
#if defined(__x86_64__)
  EXPECT_TRUE(again->ends_with("[vsyscall]\n"));
#endif
}

TEST(FileReaderTest, ReadFileAtUntilEofReadsMultiRecordFiles) {
  std::string buffer;
  const auto content = ReadFileAt(AT_FDCWD, "/proc/self/maps", buffer);
  ASSERT_TRUE(content.ok()) << content.error();
  ASSERT_GT(content->size(), 8192u);
#if defined(__x86_64__)
  EXPECT_TRUE(content->ends_with("[vsyscall]\n"));
#endif
}

}  // namespace
}  // namespace vitals::procfs
