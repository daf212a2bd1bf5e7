#include "procfs/pid_io.h"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

using test::Lines;
using test::ReadFixture;
using test::Tokens;

// The text with the first occurrence of `from` replaced by `to` (which must exist).
std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(ParsePidIoTest, CapturedSleep) {
  // tests/fixtures/pid/sleep/io: the process wrote 1 MiB with fsync and read it back with
  // O_DIRECT before it exec'd sleep: "read_bytes: 1048576", "write_bytes: 1048576"; rchar,
  // wchar and cancelled_write_bytes are not storage-layer bytes and are ignored.
  const std::string text = ReadFixture("pid/sleep/io");
  const auto io = ParsePidIo(text);
  ASSERT_TRUE(io.ok()) << io.error();
  EXPECT_EQ(io->read_bytes, 1048576u);
  EXPECT_EQ(io->write_bytes, 1048576u);
  // The same numbers, read independently.
  for (const auto& line : Lines(text)) {
    const auto tokens = Tokens(line);
    ASSERT_EQ(tokens.size(), 2u) << line;
    if (tokens[0] == "read_bytes:") {
      EXPECT_EQ(std::to_string(io->read_bytes), tokens[1]);
    }
    if (tokens[0] == "write_bytes:") {
      EXPECT_EQ(std::to_string(io->write_bytes), tokens[1]);
    }
  }
}

TEST(ParsePidIoTest, DistinctValuesAnyOrder) {
  const auto io = ParsePidIo(
      "cancelled_write_bytes: 9\nwrite_bytes: 4096\nrchar: 1\nread_bytes: "
      "18446744073709551615\n");
  ASSERT_TRUE(io.ok()) << io.error();
  EXPECT_EQ(io->read_bytes, 18446744073709551615ull);
  EXPECT_EQ(io->write_bytes, 4096u);
}

struct BadIo {
  const char* name;
  const char* text;
  friend void PrintTo(const BadIo& c, std::ostream* os) { *os << c.name; }
};

class ParsePidIoBadInputTest : public ::testing::TestWithParam<BadIo> {};

TEST_P(ParsePidIoBadInputTest, IsAnError) {
  const auto io = ParsePidIo(GetParam().text);
  EXPECT_FALSE(io.ok()) << "accepted: " << GetParam().text;
  if (!io.ok()) {
    EXPECT_FALSE(io.error().empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParsePidIoBadInputTest,
    ::testing::Values(BadIo{"Empty", ""}, BadIo{"OnlyCharCounts", "rchar: 1\nwchar: 2\n"},
                      BadIo{"NoWriteBytes", "read_bytes: 1\n"},
                      BadIo{"NoReadBytes", "write_bytes: 1\n"},
                      BadIo{"KeyWithoutColon", "read_bytes 1\nwrite_bytes 2\n"},
                      BadIo{"NonNumeric", "read_bytes: x\nwrite_bytes: 2\n"},
                      BadIo{"EmptyValue", "read_bytes:\nwrite_bytes: 2\n"},
                      BadIo{"Negative", "read_bytes: 1\nwrite_bytes: -2\n"},
                      BadIo{"Overflow", "read_bytes: 18446744073709551616\nwrite_bytes: 2\n"}),
    test::ParamName());

TEST(ParseMaxOpenFilesTest, CapturedSoftLimit) {
  // tests/fixtures/pid/sleep/limits: "Max open files  256  512  files" (RLIMIT_NOFILE set to
  // 256:512 before the capture): the soft limit is what the process is held to.
  const std::string text = ReadFixture("pid/sleep/limits");
  const auto limit = ParseMaxOpenFiles(text);
  ASSERT_TRUE(limit.ok()) << limit.error();
  EXPECT_EQ(*limit, std::optional<uint64_t>(256));
}

TEST(ParseMaxOpenFilesTest, UnlimitedIsNullopt) {
  // The captured table with the soft limit (and the hard one) spelled "unlimited".
  const std::string text = Replace(ReadFixture("pid/sleep/limits"), "256                  512",
                                   "unlimited            unlimited");
  const auto limit = ParseMaxOpenFiles(text);
  ASSERT_TRUE(limit.ok()) << limit.error();
  EXPECT_EQ(*limit, std::nullopt);
}

TEST(ParseMaxOpenFilesTest, OnlyTheOpenFilesLineCounts) {
  // Other limits in the table are "unlimited" or numbers; neither leaks into the answer.
  const std::string text = Replace(ReadFixture("pid/sleep/limits"), "256                  512",
                                   "1048576              1048576");
  const auto limit = ParseMaxOpenFiles(text);
  ASSERT_TRUE(limit.ok()) << limit.error();
  EXPECT_EQ(*limit, std::optional<uint64_t>(1048576));
}

TEST(ParseMaxOpenFilesTest, AbsentLineIsNullopt) {
  for (const char* text :
       {"", "Limit  Soft Limit  Hard Limit  Units\n", "Max processes  96365  96365  processes\n"}) {
    const auto limit = ParseMaxOpenFiles(text);
    ASSERT_TRUE(limit.ok()) << limit.error();
    EXPECT_EQ(*limit, std::nullopt) << text;
  }
}

TEST(ParseMaxOpenFilesTest, MalformedSoftLimitIsAnError) {
  for (const char* text :
       {"Max open files  many  512  files\n", "Max open files\n", "Max open files  -1  5  files\n",
        "Max open files  18446744073709551616  5  files\n"}) {
    const auto limit = ParseMaxOpenFiles(text);
    EXPECT_FALSE(limit.ok()) << "accepted: " << text;
  }
}

}  // namespace
}  // namespace vitals::procfs
