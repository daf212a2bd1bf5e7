#include "procfs/pid_status.h"

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

// The value of "Key:" in status text, read independently of the parser.
std::string Field(const std::string& text, const std::string& key) {
  for (const auto& line : Lines(text)) {
    if (line.rfind(key + ":", 0) == 0) {
      const auto tokens = Tokens(line.substr(key.size() + 1));
      return tokens.empty() ? "" : tokens[0];
    }
  }
  return "";
}

uint64_t KbField(const std::string& text, const std::string& key) {
  const std::string value = Field(text, key);
  return value.empty() ? 0 : std::stoull(value) * 1024;
}

TEST(ParsePidStatusTest, CapturedSleep) {
  // tests/fixtures/pid/sleep/status: "Uid: 0 0 0 0", "RssAnon: 112 kB", "RssFile: 1696 kB",
  // "RssShmem: 0 kB", "VmSwap: 0 kB", "Cpus_allowed_list: 1" (bound to CPU 1),
  // "voluntary_ctxt_switches: 16", "nonvoluntary_ctxt_switches: 15".
  const std::string text = ReadFixture("pid/sleep/status");
  const auto status = ParsePidStatus(text);
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_EQ(status->real_uid, 0u);
  EXPECT_EQ(status->effective_uid, 0u);
  EXPECT_EQ(status->rss_anon, 112u * 1024);
  EXPECT_EQ(status->rss_file, 1696u * 1024);
  EXPECT_EQ(status->rss_shmem, 0u);
  EXPECT_EQ(status->vm_swap, 0u);
  EXPECT_EQ(status->voluntary_ctxt_switches, 16u);
  EXPECT_EQ(status->nonvoluntary_ctxt_switches, 15u);
  EXPECT_EQ(status->cpus_allowed_list, "1");
}

TEST(ParsePidStatusTest, EffectiveUidDiffersFromRealUid) {
  // tests/fixtures/pid/setuid/status: "Uid: 1000 65534 65534 65534" (real, effective, saved,
  // filesystem), as for a setuid-nobody program started by uid 1000.
  const std::string text = ReadFixture("pid/setuid/status");
  const auto status = ParsePidStatus(text);
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_EQ(status->real_uid, 1000u);
  EXPECT_EQ(status->effective_uid, 65534u);
  EXPECT_EQ(status->rss_anon, 108u * 1024);
  EXPECT_EQ(status->rss_file, 1768u * 1024);
  EXPECT_EQ(status->voluntary_ctxt_switches, 11u);
  EXPECT_EQ(status->nonvoluntary_ctxt_switches, 26u);
  EXPECT_EQ(status->cpus_allowed_list, "0-1");
}

TEST(ParsePidStatusTest, KernelThreadHasNoMemoryLines) {
  // tests/fixtures/pid/kthreadd/status has no Vm*/Rss* lines at all.
  const std::string text = ReadFixture("pid/kthreadd/status");
  ASSERT_EQ(text.find("Rss"), std::string::npos);
  ASSERT_EQ(text.find("VmSwap"), std::string::npos);
  const auto status = ParsePidStatus(text);
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_EQ(status->rss_anon, 0u);
  EXPECT_EQ(status->rss_file, 0u);
  EXPECT_EQ(status->rss_shmem, 0u);
  EXPECT_EQ(status->vm_swap, 0u);
  EXPECT_EQ(status->voluntary_ctxt_switches, 68u);
  EXPECT_EQ(status->nonvoluntary_ctxt_switches, 0u);
  EXPECT_EQ(status->cpus_allowed_list, "0-1");
}

TEST(ParsePidStatusTest, ZombieHasNoMemoryLines) {
  const std::string text = ReadFixture("pid/zombie/status");
  ASSERT_EQ(text.find("Rss"), std::string::npos);
  const auto status = ParsePidStatus(text);
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_EQ(status->rss_anon, 0u);
  EXPECT_EQ(status->voluntary_ctxt_switches, 1u);  // "voluntary_ctxt_switches: 1".
  EXPECT_EQ(status->cpus_allowed_list, "0-1");
}

TEST(ParsePidStatusTest, CapturesAgreeWithAnIndependentReading) {
  for (const char* name : {"pid/sleep/status", "pid/hostile-comm/status", "pid/kthreadd/status",
                           "pid/zombie/status", "pid/setuid/status"}) {
    SCOPED_TRACE(name);
    const std::string text = ReadFixture(name);
    const auto status = ParsePidStatus(text);
    ASSERT_TRUE(status.ok()) << status.error();
    std::string uid_line;
    for (const auto& line : Lines(text)) {
      if (line.rfind("Uid:", 0) == 0) uid_line = line;
    }
    const auto uids = Tokens(uid_line);
    ASSERT_EQ(uids.size(), 5u);  // "Uid:" real effective saved filesystem.
    EXPECT_EQ(std::to_string(status->real_uid), uids[1]);
    EXPECT_EQ(std::to_string(status->effective_uid), uids[2]);
    EXPECT_EQ(status->rss_anon, KbField(text, "RssAnon"));
    EXPECT_EQ(status->rss_file, KbField(text, "RssFile"));
    EXPECT_EQ(status->rss_shmem, KbField(text, "RssShmem"));
    EXPECT_EQ(status->vm_swap, KbField(text, "VmSwap"));
    EXPECT_EQ(std::to_string(status->voluntary_ctxt_switches),
              Field(text, "voluntary_ctxt_switches"));
    EXPECT_EQ(std::to_string(status->nonvoluntary_ctxt_switches),
              Field(text, "nonvoluntary_ctxt_switches"));
    EXPECT_EQ(std::string(status->cpus_allowed_list), Field(text, "Cpus_allowed_list"));
  }
}

TEST(ParsePidStatusTest, InlineMinimalAndOrderFree) {
  const std::string text =
      "nonvoluntary_ctxt_switches:\t7\n"
      "VmSwap:\t      3 kB\n"
      "Cpus_allowed_list:\t0-3,6\n"
      "Name:\tkey: value\n"  // A colon in a value is not a key.
      "no colon here\n"
      "\n"
      "Uid:\t42\t43\t44\t45\n"
      "RssShmem:\t  5 kB\n";
  const auto status = ParsePidStatus(text);
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_EQ(status->real_uid, 42u);
  EXPECT_EQ(status->effective_uid, 43u);
  EXPECT_EQ(status->vm_swap, 3u * 1024);
  EXPECT_EQ(status->rss_shmem, 5u * 1024);
  EXPECT_EQ(status->rss_anon, 0u);
  EXPECT_EQ(status->nonvoluntary_ctxt_switches, 7u);
  EXPECT_EQ(status->voluntary_ctxt_switches, 0u);
  EXPECT_EQ(status->cpus_allowed_list, "0-3,6");
}

TEST(ParsePidStatusTest, NoCpusAllowedListIsEmpty) {
  const auto status = ParsePidStatus("Uid:\t0\t0\t0\t0\n");
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_EQ(status->cpus_allowed_list, "");
}

TEST(ParsePidStatusTest, LargestUidAndKbValueThatFit) {
  // uid_t is 32 bits; UINT64_MAX / 1024 = 18014398509481983 kB still fits in bytes.
  const auto status =
      ParsePidStatus("Uid:\t4294967295\t4294967294\t0\t0\nRssAnon:\t18014398509481983 kB\n");
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_EQ(status->real_uid, 4294967295u);
  EXPECT_EQ(status->effective_uid, 4294967294u);
  EXPECT_EQ(status->rss_anon, 18014398509481983ull * 1024);
}

struct BadStatus {
  const char* name;
  const char* text;
  friend void PrintTo(const BadStatus& c, std::ostream* os) { *os << c.name; }
};

class ParsePidStatusBadInputTest : public ::testing::TestWithParam<BadStatus> {};

TEST_P(ParsePidStatusBadInputTest, IsAnError) {
  const auto status = ParsePidStatus(GetParam().text);
  EXPECT_FALSE(status.ok()) << "accepted: " << GetParam().text;
  if (!status.ok()) {
    EXPECT_FALSE(status.error().empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParsePidStatusBadInputTest,
    ::testing::Values(
        BadStatus{"Empty", ""}, BadStatus{"NoUidLine", "Name:\tsleep\nRssAnon:\t4 kB\n"},
        BadStatus{"UidWithoutEffective", "Uid:\t1000\n"}, BadStatus{"UidEmpty", "Uid:\n"},
        BadStatus{"UidNonNumeric", "Uid:\troot\troot\troot\troot\n"},
        BadStatus{"UidNegative", "Uid:\t-1\t0\t0\t0\n"},
        // A uid past 32 bits must not wrap around to a small one (4294967296 -> 0, root).
        BadStatus{"RealUidOverflowsUint32", "Uid:\t4294967296\t1\t1\t1\n"},
        BadStatus{"EffectiveUidOverflowsUint32", "Uid:\t1\t4294967296\t1\t1\n"},
        BadStatus{"RssAnonNonNumeric", "Uid:\t0\t0\t0\t0\nRssAnon:\tlots kB\n"},
        BadStatus{"RssFileEmpty", "Uid:\t0\t0\t0\t0\nRssFile:\n"},
        BadStatus{"VmSwapNegative", "Uid:\t0\t0\t0\t0\nVmSwap:\t-4 kB\n"},
        BadStatus{"RssShmemOverflowsUint64",
                  "Uid:\t0\t0\t0\t0\nRssShmem:\t18446744073709551616 kB\n"},
        // 18014398509481984 kB is 2^64 bytes: it must not wrap around to 0.
        BadStatus{"RssAnonKbToBytesOverflowsUint64",
                  "Uid:\t0\t0\t0\t0\nRssAnon:\t18014398509481984 kB\n"},
        BadStatus{"VoluntaryNonNumeric", "Uid:\t0\t0\t0\t0\nvoluntary_ctxt_switches:\tmany\n"},
        BadStatus{"NonvoluntaryTrailingGarbage",
                  "Uid:\t0\t0\t0\t0\nnonvoluntary_ctxt_switches:\t12 13\n"},
        BadStatus{"VoluntaryOverflowsUint64",
                  "Uid:\t0\t0\t0\t0\nvoluntary_ctxt_switches:\t18446744073709551616\n"}),
    test::ParamName());

struct CpuList {
  const char* name;
  const char* list;
  std::optional<int> count;
  friend void PrintTo(const CpuList& c, std::ostream* os) { *os << c.name; }
};

class CountCpuListTest : public ::testing::TestWithParam<CpuList> {};

TEST_P(CountCpuListTest, Counts) {
  EXPECT_EQ(CountCpuList(GetParam().list), GetParam().count) << "'" << GetParam().list << "'";
}

INSTANTIATE_TEST_SUITE_P(
    Lists, CountCpuListTest,
    ::testing::Values(CpuList{"RangeAndSingle", "0-3,6", 5}, CpuList{"Zero", "0", 1},
                      CpuList{"One", "1", 1}, CpuList{"TwoCpus", "0-1", 2},
                      CpuList{"DegenerateRange", "5-5", 1}, CpuList{"Singles", "0,2,4", 3},
                      CpuList{"TwoRanges", "0-3,8-11", 8}, CpuList{"Large", "0-255", 256},
                      CpuList{"SurroundingBlanks", " \t0-1\n", 2}, CpuList{"Empty", "", {}},
                      CpuList{"OnlyBlanks", " \n", {}}, CpuList{"Reversed", "3-1", {}},
                      CpuList{"Garbage", "garbage", {}}, CpuList{"OpenRange", "0-", {}},
                      CpuList{"NoStart", "-3", {}}, CpuList{"EmptyItem", "0,,1", {}},
                      CpuList{"LeadingComma", ",0", {}}, CpuList{"DoubleDash", "1-2-3", {}},
                      CpuList{"Letters", "a-b", {}}, CpuList{"Negative", "-1-2", {}},
                      CpuList{"Hex", "0x3", {}}, CpuList{"InnerSpace", "0 - 3", {}},
                      CpuList{"MaskNotList", "ff", {}}),
    test::ParamName());

// Lists naming more CPUs than an int holds are not CPU lists: nullopt, never a count
// that wrapped around (negative, zero or small) nor a signed overflow.
TEST(CountCpuListTest, CountsPastIntMaxAreRejected) {
  for (const char* list : {"0-2147483647", "0-4294967295", "0-18446744073709551615",
                           "0-2147483646,0-2147483646", "1-18446744073709551615,0"}) {
    EXPECT_EQ(CountCpuList(list), std::nullopt) << list;
  }
}

}  // namespace
}  // namespace vitals::procfs
