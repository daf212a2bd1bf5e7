#include "procfs/conntrack.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(ParseConntrackStatTest, FixtureSumsEveryCpu) {
  const std::string text = test::ReadFixture("proc/net/stat/nf_conntrack");
  const auto lines = test::Lines(text);
  ASSERT_GE(lines.size(), 2u);
  // Independent reading: column sums by std::stoull(_, 16).
  std::vector<uint64_t> sums(17, 0);
  for (size_t i = 1; i < lines.size(); ++i) {
    const auto tokens = test::Tokens(lines[i]);
    ASSERT_EQ(tokens.size(), 17u);
    for (size_t c = 0; c < 17; ++c) sums[c] += std::stoull(tokens[c], nullptr, 16);
  }
  const auto stat = ParseConntrackStat(text);
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->cpus, lines.size() - 1);
  EXPECT_EQ(stat->found, sums[2]);
  EXPECT_EQ(stat->invalid, sums[4]);
  EXPECT_EQ(stat->ignore, sums[5]);
  EXPECT_EQ(stat->insert, sums[8]);
  EXPECT_EQ(stat->insert_failed, sums[9]);
  EXPECT_EQ(stat->drop, sums[10]);
  EXPECT_EQ(stat->early_drop, sums[11]);
  EXPECT_EQ(stat->search_restart, sums[16]);
  // The hand-written values (tests/fixtures/README.md): found 0x1a + 0xffffffff.
  EXPECT_EQ(stat->found, 0x1aull + 0xffffffffull);
}

constexpr const char* kHeader =
    "entries  searched found new invalid ignore delete delete_list insert insert_failed drop "
    "early_drop icmp_error  expect_new expect_create expect_delete search_restart\n";

TEST(ParseConntrackStatTest, HeaderOnlyIsZeroCpus) {
  const auto stat = ParseConntrackStat(kHeader);
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->cpus, 0u);
  EXPECT_EQ(stat->found, 0u);
}

TEST(ParseConntrackStatTest, SumsWrapModulo2To64) {
  const std::string line =
      "0 0 ffffffffffffffff 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
      "0 0 2 0 0 0 0 0 0 0 0 0 0 0 0 0 A\n";
  const auto stat = ParseConntrackStat(std::string(kHeader) + line);
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->found, 1u);
  EXPECT_EQ(stat->search_restart, 10u);
}

TEST(ParseConntrackStatTest, RejectsMalformed) {
  const std::string ok_row = "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
  const std::pair<std::string, const char*> bad[] = {
      {"", "empty nf_conntrack"},
      {"garbage\n", "line 1 (header does not start 'entries')"},
      {"entries found\n" + ok_row, "line 1 (header has not 17 columns)"},
      {kHeader + std::string("0 0 0\n"), "line 2 (fewer than 17 columns)"},
      {kHeader + ok_row + "\n", "line 3 (fewer than 17 columns)"},
      {kHeader + std::string("0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"),
       "line 2 (more than 17 columns)"},
      {kHeader + std::string("0 0 zz 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"), "not a hexadecimal"},
      {kHeader + std::string("0 0 0x1 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"), "not a hexadecimal"},
      {kHeader + std::string("0 0 -1 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"), "not a hexadecimal"},
      {kHeader + std::string("0 0 10000000000000000 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"),
       "not a hexadecimal"},
  };
  for (const auto& [text, says] : bad) {
    const auto stat = ParseConntrackStat(text);
    ASSERT_FALSE(stat.ok()) << "accepted: " << text;
    EXPECT_NE(stat.error().find(says), std::string::npos) << stat.error();
  }
}

}  // namespace
}  // namespace vitals::procfs
