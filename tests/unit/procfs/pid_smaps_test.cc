#include "procfs/pid_smaps.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

using test::Lines;
using test::ReadFixture;
using test::Tokens;

TEST(ParseSmapsRollupTest, CapturedSleep) {
  // tests/fixtures/pid/smaps/sleep_smaps_rollup: the header line, then "Key: N kB" lines;
  // Pss and SwapPss are wanted, Pss_Dirty/Pss_Anon and the rest are not.
  const std::string text = ReadFixture("pid/smaps/sleep_smaps_rollup");
  const auto rollup = ParseSmapsRollup(text);
  ASSERT_TRUE(rollup.ok()) << rollup.error();
  uint64_t pss = 0, swap_pss = 0;
  for (const auto& line : Lines(text)) {
    const auto tokens = Tokens(line);
    if (tokens.size() == 3 && tokens[0] == "Pss:") pss = std::stoull(tokens[1]) * 1024;
    if (tokens.size() == 3 && tokens[0] == "SwapPss:") swap_pss = std::stoull(tokens[1]) * 1024;
  }
  EXPECT_GT(pss, 0u);
  EXPECT_EQ(rollup->pss, pss);
  EXPECT_EQ(rollup->swap_pss, swap_pss);
}

TEST(ParseSmapsRollupTest, SwapPssIsOptional) {
  const auto rollup = ParseSmapsRollup("Rss: 8 kB\nPss: 3 kB\n");
  ASSERT_TRUE(rollup.ok()) << rollup.error();
  EXPECT_EQ(rollup->pss, 3u * 1024);
  EXPECT_EQ(rollup->swap_pss, 0u);
}

TEST(ParseSmapsRollupTest, Malformed) {
  EXPECT_FALSE(ParseSmapsRollup("").ok());             // A kernel thread reads empty.
  EXPECT_FALSE(ParseSmapsRollup("Rss: 8 kB\n").ok());  // No Pss.
  EXPECT_FALSE(ParseSmapsRollup("Pss: x kB\n").ok());  // Not a number.
  EXPECT_FALSE(ParseSmapsRollup("Pss: 3 MB\n").ok());  // Not kB.
  EXPECT_FALSE(ParseSmapsRollup("Pss: 3 kB\nSwapPss:\n").ok());
  EXPECT_FALSE(ParseSmapsRollup("Pss: 18446744073709551615 kB\n").ok());  // Overflows bytes.
}

}  // namespace
}  // namespace vitals::procfs
