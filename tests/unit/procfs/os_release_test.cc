#include "procfs/os_release.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(ParseOsReleaseTest, Fixture) {
  // tests/fixtures/rootfs/etc/os-release, Debian 12's: every value double-quoted except
  // VERSION_CODENAME and ID.
  const std::string text = test::ReadFixture("rootfs/etc/os-release");
  OsRelease os;
  const Status status = ParseOsRelease(text, os);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(os.pretty_name, "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(os.name, "Debian GNU/Linux");
  EXPECT_EQ(os.version_id, "12");
  EXPECT_EQ(os.version, "12 (bookworm)");
  EXPECT_EQ(os.version_codename, "bookworm");
  EXPECT_EQ(os.id, "debian");
  EXPECT_EQ(os.id_like, "");
  EXPECT_EQ(os.build_id, "");
  // Each of those is a line of the file, as written there.
  EXPECT_NE(text.find("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"), std::string::npos);
  EXPECT_NE(text.find("\nID=debian\n"), std::string::npos);
}

// What node_exporter 1.5 published for these lines on the machine of
// tests/fixtures/README.md (node_os_info labels), one rule of go-envparse each.
TEST(ParseOsReleaseTest, QuotingAsNodeExporterReadsIt) {
  OsRelease os;
  const Status status = ParseOsRelease(
      "# comment\n"
      "export NAME=\"Test \\\"OS\\\" \\u00e9\\ud83d\\ude00\"\n"
      "ID=test # trailing\n"
      "ID_LIKE='debian  ubuntu'\n"
      "PRETTY_NAME = spaced  value   # c\n"
      "VERSION_ID=\"22.04.3\"\n"
      "VERSION=a\"b c\"'d e'\n"
      "IMAGE_ID=\n"
      "ID=test2\n",
      os);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(os.name, "Test \"OS\" \xc3\xa9\xf0\x9f\x98\x80");  // é and U+1F600
  EXPECT_EQ(os.id, "test2");                                   // The last one wins.
  EXPECT_EQ(os.id_like, "debian  ubuntu");
  EXPECT_EQ(os.pretty_name, "spaced  value");
  EXPECT_EQ(os.version_id, "22.04.3");
  EXPECT_EQ(os.version, "ab cd e");
  EXPECT_EQ(os.image_id, "");
}

TEST(ParseOsReleaseTest, CommentAfterMultiByteCharacterCutsInsideIt) {
  // go-envparse marks a multi-byte character's last byte as not significant, so
  // node_exporter 1.5 gets "\xc3" here (and then panics on the invalid UTF-8 label).
  OsRelease os;
  ASSERT_TRUE(ParseOsRelease("BUILD_ID=\xc3\xa9 # x\n", os).ok());
  EXPECT_EQ(os.build_id, "\xc3");
}

TEST(ParseOsReleaseTest, MoreRules) {
  OsRelease os;
  ASSERT_TRUE(ParseOsRelease("  \r\n"
                             "\t# indented comment\n"
                             "NAME=\"a#b\" # quoted # is kept\r\n"
                             "ID='x\\ny'\n"  // No escapes in single quotes.
                             "VARIANT=\"\\b\\f\\r\\n\\t\\/\\\\\"\n"
                             "VARIANT_ID=\"\\ud800\\u0041\"\n"  // Unpaired surrogate.
                             "export=1\n"                       // Not a prefix: the key.
                             "some.key/x_1=ignored\n"
                             "\xc2\xa0VERSION_ID=7\xc2\xa0\n",  // NBSP trimmed, as in Go.
                             os)
                  .ok());
  EXPECT_EQ(os.name, "a#b");
  EXPECT_EQ(os.id, "x\\ny");
  EXPECT_EQ(os.variant, "\b\f\r\n\t/\\");
  EXPECT_EQ(os.variant_id, "\xef\xbf\xbd");  // U+FFFD
  EXPECT_EQ(os.version_id, "7");
}

TEST(ParseOsReleaseTest, EmptyTextIsNoKeys) {
  OsRelease os;
  os.name = "stale";
  ASSERT_TRUE(ParseOsRelease("", os).ok());
  EXPECT_EQ(os, OsRelease{});
}

TEST(ParseOsReleaseTest, RejectsWhatGoEnvparseRejects) {
  const std::pair<std::string, const char*> bad[] = {
      {"NAME=x\ngarbage\n", "line 2: missing ="},
      {"=x\n", "line 1: empty key"},
      {"1NAME=x\n", "key must start with [A-Za-z_]"},
      {"NA-ME=x\n", "key characters must be [A-Za-z0-9/_.]"},
      {"export  NAME=x\n", "key must start"},
      {"NAME=\"x\n", "unmatched \""},
      {"NAME='x\n", "unmatched '"},
      {"NAME=\"x\\\n", "incomplete escape sequence"},
      {"NAME=\"\\q\"\n", "invalid escape sequence"},
      {"NAME=\"\\u00zz\"\n", "invalid hex character"},
      {"NAME=\"\\u00", "incomplete hex sequence"},
      {"NAME=\"\\ud83d\"\n", "incomplete Unicode surrogate pair"},
      {"NAME=\"\\\xc3\xa9\"\n", "multibyte characters disallowed"},
      {"NAME=a\tb\n", "0x09 is an invalid value character"},
      {"NAME=\"a\x01\"\n", "0x01 is an invalid value character"},
      {"NAME=" + std::string(65536, 'x') + "\n", "line 1: longer than 65535 bytes"},
  };
  for (const auto& [text, says] : bad) {
    OsRelease os;
    const Status status = ParseOsRelease(text, os);
    ASSERT_FALSE(status.ok()) << "accepted: " << text.substr(0, 40);
    EXPECT_NE(status.message().find(says), std::string::npos) << status.message();
  }
  OsRelease os;
  EXPECT_TRUE(ParseOsRelease("NAME=" + std::string(65530, 'x') + "\n", os).ok());
}

TEST(ReadIfModifiedTest, ReadsAgainOnlyWhenTheMtimeChanges) {
  test::TempDir dir;
  const std::string path = dir.Sub("os-release");
  test::WriteFile(path, "ID=one\n");
  FileTime mtime;
  std::string content;
  auto read = ReadIfModified(path, mtime, content);
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_TRUE(*read);
  EXPECT_EQ(content, "ID=one\n");
  read = ReadIfModified(path, mtime, content);
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(*read);
  test::WriteFile(path, "ID=two\n");
  std::filesystem::last_write_time(
      path, std::filesystem::last_write_time(path) + std::chrono::seconds(5));
  read = ReadIfModified(path, mtime, content);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(*read);
  EXPECT_EQ(content, "ID=two\n");
  const auto missing = ReadIfModified(dir.Sub("nope"), mtime, content);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.failure().Vanished());
}

}  // namespace
}  // namespace vitals::procfs
