// Issue 12: what --config.file and --web.config.file may point at. Only a regular file
// of at most 1 MiB is read; a FIFO, a device, a huge or unreadable file is a one-line
// error, and error messages quote at most a short, escaped piece of the file.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "server/config.h"
#include "server/web_config.h"
#include "test_util.h"

namespace vitals::server {
namespace {

// Runs `load` in a child with 5 s and 256 MiB to live, so the old code (which blocked
// on a FIFO and read /dev/zero until memory ran out) fails the test instead of hanging
// or killing it. Exit 0: `load` returned an error containing `says`.
template <typename Load>
[[noreturn]] void LoadAndExit(Load load, const std::string& says) {
  alarm(5);
  rlimit memory{};
  memory.rlim_cur = memory.rlim_max = 256 << 20;
  setrlimit(RLIMIT_AS, &memory);
  const auto result = load();
  if (result.ok()) _exit(3);
  _exit(result.error().find(says) != std::string::npos ? 0 : 4);
}

template <typename Load>
void ExpectRefusedInTime(Load load, const std::string& says) {
  EXPECT_EXIT(LoadAndExit(load, says), ::testing::ExitedWithCode(0), "") << says;
}

TEST(ConfigFileTest, FifoIsRefusedWithoutWaitingForAWriter) {
  test::TempDir dir;
  const std::string fifo = dir.Sub("config.yml");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  ExpectRefusedInTime([&] { return LoadConfigFile(fifo); }, fifo + ":1:1: is not a regular file");
  ExpectRefusedInTime([&] { return LoadWebConfigFile(fifo); },
                      fifo + ":1:1: is not a regular file");
}

TEST(ConfigFileTest, DeviceIsRefused) {
  ExpectRefusedInTime([] { return LoadConfigFile("/dev/zero"); },
                      "/dev/zero:1:1: is not a regular file");
  ExpectRefusedInTime([] { return LoadWebConfigFile("/dev/null"); },
                      "/dev/null:1:1: is not a regular file");
}

TEST(ConfigFileTest, FileOverOneMiBIsRefused) {
  test::TempDir dir;
  // A valid document: only its size is wrong.
  test::WriteFile(dir.path() / "big.yml", "# " + std::string((1 << 20) + 16, 'x') + "\n");
  const auto config = LoadConfigFile(dir.Sub("big.yml"));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error(),
            dir.Sub("big.yml") + ":1:1: is larger than 1 MiB, too big for a " + "config file");
  const auto web = LoadWebConfigFile(dir.Sub("big.yml"));
  ASSERT_FALSE(web.ok());
  EXPECT_NE(web.error().find("is larger than 1 MiB"), std::string::npos) << web.error();
}

TEST(ConfigFileTest, FileOfExactlyOneMiBIsRead) {
  test::TempDir dir;
  test::WriteFile(dir.path() / "edge.yml", "# " + std::string((1 << 20) - 3, 'x') + "\n");
  const auto config = LoadConfigFile(dir.Sub("edge.yml"));
  EXPECT_TRUE(config.ok()) << config.error();
}

TEST(ConfigFileTest, ReadErrorIsAnErrorNotAnEmptyFile) {
  // A regular file whose read() fails: /proc/self/mem at offset 0 gives EIO.
  struct stat info {};
  ASSERT_EQ(stat("/proc/self/mem", &info), 0);
  ASSERT_TRUE(S_ISREG(info.st_mode));
  const auto config = LoadConfigFile("/proc/self/mem");
  ASSERT_FALSE(config.ok()) << "a failed read was taken as an empty (all defaults) config";
  EXPECT_EQ(config.error().rfind("/proc/self/mem:1:1: cannot read config file", 0), 0u)
      << config.error();
}

TEST(ConfigFileTest, DirectoryIsStillRefused) {
  test::TempDir dir;
  const auto config = LoadConfigFile(dir.path().string());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error(), dir.path().string() + ":1:1: is a directory, not a config file");
}

TEST(ConfigFileTest, SecondWebConfigDocumentIsRefused) {
  const auto web = ParseWebConfig("basic_auth_users: {}\n---\nbasic_auth_users: {a: b}\n", "w.yml");
  ASSERT_FALSE(web.ok());
  EXPECT_EQ(web.error().rfind("w.yml:3:", 0), 0u) << web.error();
  EXPECT_NE(web.error().find("a second YAML document"), std::string::npos) << web.error();
}

// yaml-cpp stops at a NUL and silently drops the rest, and its LoadAll() never returns
// on this input (found by fuzz_config): control bytes are refused with a position.
TEST(ConfigFileTest, ControlBytesAreRefusedWithTheirPosition) {
  const auto config = ParseConfig(std::string("collectors:\n  cpu:\0 {}\n", 19), "v.yml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error(), "v.yml:2:7: control character '\\x00' is not allowed in a YAML file");
  const auto fuzzed = ParseConfig(test::ReadFixture("config/fuzz_loadall_hang.yml"), "f.yml");
  ASSERT_FALSE(fuzzed.ok());
  EXPECT_EQ(fuzzed.error().rfind("f.yml:2:29: control character", 0), 0u) << fuzzed.error();
  // Carriage returns and tabs are allowed (a file written on Windows still loads).
  const auto crlf = ParseConfig("collectors:\r\n  cpu: {enabled:\ttrue}\r\n", "crlf.yml");
  EXPECT_TRUE(crlf.ok()) << crlf.error();
}

TEST(ConfigFileTest, ErrorsQuoteAShortEscapedPiece) {
  // A long value with control bytes (as the first line of a binary or root-only file
  // would be): the message stays one short printable line.
  const std::string value = std::string(500, 'A') + "\xff\xfe[31m\xff";
  const auto config =
      ParseConfig("collectors:\n  cpu:\n    enabled: \"" + value + "\"\n", "etc/vitals.yml");
  ASSERT_FALSE(config.ok());
  const std::string& error = config.error();
  EXPECT_EQ(error.rfind("etc/vitals.yml:3:14: enabled must be true or false, got 'AAAA", 0), 0u)
      << error;
  EXPECT_LT(error.size(), 160u) << error;
  for (const char c : error) {
    EXPECT_TRUE(c >= 0x20 && c < 0x7f) << "raw byte " << static_cast<int>(c) << " in " << error;
  }
  // A key is quoted the same way.
  const auto key = ParseConfig(
      "collectors:\n  cpu:\n    \"x\\ty" + std::string(200, 'k') + "\": 1\n", "etc/vitals.yml");
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.error().find("unknown key 'x\\tykkk"), std::string::npos) << key.error();
  EXPECT_LT(key.error().size(), 200u) << key.error();
}

}  // namespace
}  // namespace vitals::server
