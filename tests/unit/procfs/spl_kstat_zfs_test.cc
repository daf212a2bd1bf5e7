#include "procfs/spl_kstat_zfs.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

// tests/fixtures/proc/spl/kstat/zfs: hand-built in OpenZFS's kstat text format.
TEST(KstatZfsTest, NamedFixture) {
  const auto rows = ParseKstatNamed(test::ReadFixture("proc/spl/kstat/zfs/arcstats"));
  ASSERT_TRUE(rows.ok()) << rows.error();
  ASSERT_EQ(rows->size(), 72u);  // memory_available_bytes is type 3 (int64): skipped.
  EXPECT_EQ(rows->front(), (std::pair<std::string, uint64_t>{"hits", 8772612}));
  EXPECT_EQ(rows->back(), (std::pair<std::string, uint64_t>{"arc_raw_size", 0}));
  const auto fm = ParseKstatNamed(test::ReadFixture("proc/spl/kstat/zfs/fm"));
  ASSERT_TRUE(fm.ok()) << fm.error();
  EXPECT_EQ(fm->front().first, "erpt-dropped");
}

TEST(KstatZfsTest, NamedRules) {
  const auto rows = ParseKstatNamed(
      "1 1 0x01\nskipped 4 1\nname type data\nshort 4\ns 7 text\nneg 3 -1\nok 4 7 extra\n");
  ASSERT_TRUE(rows.ok()) << rows.error();
  EXPECT_EQ(*rows, (KstatValues{{"ok", 7}}));
  for (const char* bad :
       {"", "hits 4 1\n", "name type data\nhits 4 -1\n", "name type data\nhits 4 0x10\n",
        "name type\nhits 4 1\n", "name type data\nhits 4 18446744073709551616\n"}) {
    EXPECT_FALSE(ParseKstatNamed(bad).ok()) << bad;
  }
}

TEST(KstatZfsTest, PoolIo) {
  const auto values = ParseZpoolIo(test::ReadFixture("proc/spl/kstat/zfs/pool1/io"));
  ASSERT_TRUE(values.ok()) << values.error();
  ASSERT_EQ(values->size(), 12u);
  EXPECT_EQ((*values)[0], (std::pair<std::string, uint64_t>{"nread", 1884160}));
  EXPECT_EQ((*values)[7], (std::pair<std::string, uint64_t>{"rtime", 10066578155}));
  const auto none = ParseZpoolIo("12 3 0x00\nnread nwritten\n");  // Header under 12 fields.
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  const std::string header =
      "nread nwritten reads writes wtime wlentime wupdate rtime "
      "rlentime rupdate wcnt rcnt\n";
  EXPECT_FALSE(ParseZpoolIo(header + "1 2 3\n").ok());  // Truncated row.
  EXPECT_FALSE(ParseZpoolIo(header + "\n").ok());
  EXPECT_FALSE(ParseZpoolIo(header + "1 2 3 4 5 6 7 8 9 10 11 x\n").ok());
  EXPECT_EQ(ParseZpoolIo(header + "1 2 3 4 5 6 7 8 9 10 11 12 13\n")->size(), 12u);
}

TEST(KstatZfsTest, PoolObjsetAndState) {
  const auto objsets = ParseZpoolObjset(test::ReadFixture("proc/spl/kstat/zfs/pool1/objset-0x36"));
  ASSERT_TRUE(objsets.ok()) << objsets.error();
  ASSERT_EQ(objsets->size(), 1u);
  EXPECT_TRUE((*objsets)[0].named);
  EXPECT_EQ((*objsets)[0].dataset, "pool1/ROOT/debian");
  EXPECT_EQ((*objsets)[0].values.size(), 6u);
  const auto unnamed = ParseZpoolObjset("name type data\nwrites 4 3\n");
  ASSERT_TRUE(unnamed.ok());
  EXPECT_FALSE((*unnamed)[0].named);
  EXPECT_FALSE(ParseZpoolObjset("writes 4 3\n").ok());
  EXPECT_FALSE(ParseZpoolObjset("name type data\nwrites 4 x\n").ok());
  EXPECT_EQ(ParseZpoolState("DEGRADED\nmore\n"), "degraded");
  EXPECT_EQ(ParseZpoolState(""), "");
}

}  // namespace
}  // namespace vitals::procfs
