#include "procfs/cpuinfo.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

// tests/fixtures/proc/cpuinfo: prometheus/procfs's, eight threads of an i7-8650U.
TEST(ParseCpuInfoTest, Fixture) {
  const auto cpus = ParseCpuInfo(test::ReadFixture("proc/cpuinfo"));
  ASSERT_TRUE(cpus.ok()) << cpus.error();
  ASSERT_EQ(cpus->size(), 8u);
  const CpuInfo& first = cpus->front();
  EXPECT_EQ(first.processor, 0u);
  EXPECT_EQ(first.vendor_id, "GenuineIntel");
  EXPECT_EQ(first.cpu_family, "6");
  EXPECT_EQ(first.model, "142");
  EXPECT_EQ(first.model_name, "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz");
  EXPECT_EQ(first.microcode, "0xb4");
  EXPECT_EQ(first.stepping, "10");
  EXPECT_EQ(first.cache_size, "8192 KB");
  EXPECT_EQ(first.physical_id, "0");
  EXPECT_EQ(first.core_id, "0");
  EXPECT_EQ(first.flags.front(), "fpu");
  EXPECT_EQ(first.flags.back(), "flush_l1d");
  EXPECT_EQ(first.bugs, (std::vector<std::string>{"cpu_meltdown", "spectre_v1", "spectre_v2",
                                                  "spec_store_bypass", "l1tf", "mds", "swapgs"}));
  EXPECT_EQ((*cpus)[7].processor, 7u);
  EXPECT_EQ((*cpus)[7].core_id, "3");
}

TEST(ParseCpuInfoTest, ValuesAreKeptAsPrintedAndBlankLinesSkipped) {
  const auto cpus = ParseCpuInfo(
      "\n  \nprocessor\t: 0x3\r\nmodel name\t: Some CPU  \nflags\t\t:  a   b\tc \n"
      "vendor: AuthenticAMD\npower management:\nbugs\t\t:\nno separator here\n\n"
      "processor\t: 010\ncore id\t: 7\n");
  ASSERT_TRUE(cpus.ok()) << cpus.error();
  ASSERT_EQ(cpus->size(), 2u);
  EXPECT_EQ((*cpus)[0].processor, 3u);              // Go's base 0: hex...
  EXPECT_EQ((*cpus)[0].model_name, "Some CPU  ");   // Not trimmed.
  EXPECT_EQ((*cpus)[0].vendor_id, "AuthenticAMD");  // "vendor" (s390) works too.
  EXPECT_EQ((*cpus)[0].flags, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE((*cpus)[0].bugs.empty());  // "bugs\t\t:" has no ": ".
  EXPECT_EQ((*cpus)[1].processor, 8u);   // ...and octal.
  EXPECT_EQ((*cpus)[1].core_id, "7");
}

TEST(ParseCpuInfoTest, NumericFieldsMustParse) {
  const std::string head = "processor\t: 0\n";
  for (const char* good : {"cpu MHz\t\t: 799.998", "cpu MHz\t\t: 1e3", "bogomips\t: -Inf",
                           "bogomips\t: 0x1p-2", "siblings\t: 4294967295", "cpu cores\t: 0b11"}) {
    EXPECT_TRUE(ParseCpuInfo(head + good + "\n").ok()) << good;
  }
  for (const char* bad :
       {"cpu MHz\t\t: fast", "cpu MHz\t\t: ", "cpu MHz\t\t: 1.5 ", "bogomips\t: +nan",
        "bogomips\t: 1e400", "bogomips\t: 0x1", "siblings\t: 4294967296", "cpu cores\t: -1",
        "cpuid level\t: 2 ", "clflush size\t: x", "cache_alignment\t: ", "processor\t: one"}) {
    EXPECT_FALSE(ParseCpuInfo(head + bad + "\n").ok()) << bad;
  }
}

TEST(ParseCpuInfoTest, EmptyGarbageAndTruncated) {
  for (const char* bad : {"", "\n\n", "garbage\n", "processor 0\n", "processor:0\n",
                          "processor\t: \n", "vendor_id\t: GenuineIntel\nprocessor\t: 0\n"}) {
    EXPECT_FALSE(ParseCpuInfo(bad).ok()) << bad;
  }
  // Cut in the middle of a block: what was read counts.
  const std::string text = test::ReadFixture("proc/cpuinfo");
  const auto cut = ParseCpuInfo(text.substr(0, text.find("model name", 300)));
  ASSERT_TRUE(cut.ok()) << cut.error();
  EXPECT_EQ(cut->size(), 2u);
  EXPECT_EQ((*cut)[1].model, "142");
  EXPECT_EQ((*cut)[1].model_name, "");
}

TEST(ParseCpuInfoTest, StopsAtAnOverlongLineLikeBufioScanner) {
  const std::string text =
      "processor\t: 0\nflags\t: a\n" + std::string(70000, 'x') + "\nprocessor\t: 1\n";
  const auto cpus = ParseCpuInfo(text);
  ASSERT_TRUE(cpus.ok()) << cpus.error();
  EXPECT_EQ(cpus->size(), 1u);
}

}  // namespace
}  // namespace vitals::procfs
