#include "procfs/cpufreq.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

// The five text files prometheus/procfs 0.8.0 requires, plus `numbers`.
void WriteCpufreq(const test::TempDir& dir, const std::string& cpu,
                  const std::vector<std::pair<std::string, std::string>>& numbers) {
  const auto base = dir.path() / cpu / "cpufreq";
  for (const char* file : {"scaling_available_governors", "scaling_driver", "scaling_governor",
                           "related_cpus", "scaling_setspeed"}) {
    test::WriteFile(base / file, "x\n");
  }
  for (const auto& [file, content] : numbers) test::WriteFile(base / file, content);
}

TEST(ParseCpufreqUintTest, AsParseUintOfTrimSpace) {
  EXPECT_EQ(ParseCpufreqUint("1200195\n"), 1200195u);
  EXPECT_EQ(ParseCpufreqUint(" \t1500000 \r\n"), 1500000u);
  EXPECT_EQ(ParseCpufreqUint("18446744073709551615"), UINT64_MAX);
  for (const char* bad :
       {"", "\n", "-1", "+1", "0x10", "1_000", "12 34", "18446744073709551616", "<unsupported>"}) {
    EXPECT_EQ(ParseCpufreqUint(bad), std::nullopt) << '"' << bad << '"';
  }
}

TEST(ListCpuDirsTest, GlobCpuDigitStar) {
  // tests/fixtures/sys/devices/system/cpu: cpu0 (a symlink), cpu1, cpu10, cpu2 and
  // cpufreq, which "cpu[0-9]*" does not match; sorted as filepath.Glob sorts.
  EXPECT_EQ(ListCpuDirs(test::FixturePath("sys/devices/system/cpu")),
            (std::vector<std::string>{"cpu0", "cpu1", "cpu10", "cpu2"}));
  EXPECT_TRUE(ListCpuDirs(test::FixturePath("no-such-dir")).empty());
}

TEST(ReadCpufreqTest, Fixture) {
  FileCache files;
  const std::string dir = test::FixturePath("sys/devices/system/cpu");
  // cpu0/cpufreq -> ../cpufreq/policy0, which has no cpuinfo_cur_freq.
  const auto cpu0 = ReadCpufreq(files, dir, "cpu0");
  ASSERT_TRUE(cpu0.ok()) << cpu0.error();
  ASSERT_TRUE(cpu0->has_value());
  EXPECT_EQ((*cpu0)->cpu, "0");
  EXPECT_EQ((*cpu0)->cpuinfo_cur_khz, std::nullopt);
  EXPECT_EQ((*cpu0)->cpuinfo_max_khz, 2400000u);
  EXPECT_EQ((*cpu0)->scaling_cur_khz, 1219917u);
  EXPECT_EQ((*cpu0)->governor, "powersave");
  EXPECT_EQ((*cpu0)->setspeed, "<unsupported>");
  const auto cpu1 = ReadCpufreq(files, dir, "cpu1");
  ASSERT_TRUE(cpu1.ok()) << cpu1.error();
  EXPECT_EQ((*cpu1)->cpuinfo_cur_khz, 1200195u);
  EXPECT_EQ((*cpu1)->cpuinfo_transition_latency_ns, 4294967295u);
  EXPECT_EQ((*cpu1)->scaling_cur_khz, std::nullopt);
  const auto cpu10 = ReadCpufreq(files, dir, "cpu10");
  ASSERT_TRUE(cpu10.ok()) << cpu10.error();
  EXPECT_EQ((*cpu10)->scaling_cur_khz, 1500000u);  // "  1500000 \n"
  EXPECT_EQ((*cpu10)->scaling_max_khz, std::nullopt);
  const auto cpu2 = ReadCpufreq(files, dir, "cpu2");  // No cpufreq directory.
  ASSERT_TRUE(cpu2.ok()) << cpu2.error();
  EXPECT_FALSE(cpu2->has_value());
}

TEST(ReadCpufreqTest, NotANumberFails) {
  test::TempDir dir;
  WriteCpufreq(dir, "cpu0", {{"scaling_max_freq", "fast\n"}});
  FileCache files;
  const auto cpu0 = ReadCpufreq(files, dir.path().string(), "cpu0");
  ASSERT_FALSE(cpu0.ok());
  EXPECT_NE(cpu0.error().find("scaling_max_freq"), std::string::npos) << cpu0.error();
}

TEST(ReadCpufreqTest, MissingTextFileFails) {
  test::TempDir dir;
  WriteCpufreq(dir, "cpu0", {{"scaling_cur_freq", "800000\n"}});
  std::filesystem::remove(dir.path() / "cpu0/cpufreq/scaling_setspeed");
  FileCache files;
  const auto cpu0 = ReadCpufreq(files, dir.path().string(), "cpu0");
  ASSERT_FALSE(cpu0.ok());
  EXPECT_NE(cpu0.error().find("scaling_setspeed"), std::string::npos) << cpu0.error();
}

TEST(ReadCpufreqTest, TextFilesAreOne128ByteReadTrimmed) {
  test::TempDir dir;
  WriteCpufreq(dir, "cpu0", {});
  test::WriteFile(dir.path() / "cpu0/cpufreq/scaling_available_governors",
                  " performance " + std::string(200, 'p') + "\n");
  FileCache files;
  const auto cpu0 = ReadCpufreq(files, dir.path().string(), "cpu0");
  ASSERT_TRUE(cpu0.ok()) << cpu0.error();
  EXPECT_EQ((*cpu0)->available_governors, "performance " + std::string(128 - 13, 'p'));
}

TEST(ReadCpufreqTest, CpuThatIsAFileFails) {
  // stat("cpu5/cpufreq") is ENOTDIR, not ENOENT: prometheus/procfs gives up.
  test::TempDir dir;
  test::WriteFile(dir.path() / "cpu5", "");
  FileCache files;
  EXPECT_FALSE(ReadCpufreq(files, dir.path().string(), "cpu5").ok());
}

}  // namespace
}  // namespace vitals::procfs
