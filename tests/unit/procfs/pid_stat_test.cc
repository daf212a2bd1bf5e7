#include "procfs/pid_stat.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

using test::ReadFixture;
using test::Tokens;

// A stat line with the 52 fields of a 6.x kernel: "<pid> (<comm>) " then fields 3..52,
// numbered as in proc(5); field k gets the value k * 10 unless overridden.
std::string StatLine(const std::string& pid_and_comm, const std::vector<std::string>& fields) {
  std::string line = pid_and_comm;
  for (const auto& field : fields) line += " " + field;
  return line + "\n";
}

std::vector<std::string> NumberedFields() {
  std::vector<std::string> fields;
  fields.push_back("S");  // Field 3: state.
  for (int k = 4; k <= 52; ++k) fields.push_back(std::to_string(k * 10));
  return fields;
}

// Field k (3 <= k <= 52) of NumberedFields(), as an index into the vector.
size_t Index(int field) { return static_cast<size_t>(field - 3); }

TEST(ParsePidStatTest, CapturedSleep) {
  // tests/fixtures/pid/sleep/stat: "28873 (sleep) S 28871 28865 27355 0 -1 4194304 3483 6643
  // 0 0 3 2 5 2 20 0 1 0 382179 2990080 424 ...".
  const std::string text = ReadFixture("pid/sleep/stat");
  const auto stat = ParsePidStat(text);
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->comm, "sleep");
  EXPECT_EQ(stat->state, 'S');
  EXPECT_EQ(stat->ppid, 28871);
  EXPECT_EQ(stat->minor_faults, 3483u);
  EXPECT_EQ(stat->major_faults, 0u);
  EXPECT_EQ(stat->utime, 3u);
  EXPECT_EQ(stat->stime, 2u);
  EXPECT_EQ(stat->num_threads, 1);
  EXPECT_EQ(stat->start_time, 382179u);
  EXPECT_EQ(stat->vsize, 2990080u);  // "VmSize: 2920 kB" in the status captured with it.
  EXPECT_EQ(stat->rss_pages, 424);
}

TEST(ParsePidStatTest, CommMayContainParentheses) {
  // tests/fixtures/pid/hostile-comm/stat: a process that wrote "a) b) c" to its own
  // /proc/self/comm: "28874 (a) b) c) S 28871 28865 27355 0 -1 4194304 2881 6606 0 0 3 1 5 2
  // 20 0 1 0 382179 16965632 3353 ...".
  const std::string text = ReadFixture("pid/hostile-comm/stat");
  const auto stat = ParsePidStat(text);
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->comm, "a) b) c");
  EXPECT_EQ(stat->state, 'S');
  EXPECT_EQ(stat->ppid, 28871);
  EXPECT_EQ(stat->minor_faults, 2881u);
  EXPECT_EQ(stat->major_faults, 0u);
  EXPECT_EQ(stat->utime, 3u);
  EXPECT_EQ(stat->stime, 1u);
  EXPECT_EQ(stat->num_threads, 1);
  EXPECT_EQ(stat->start_time, 382179u);
  EXPECT_EQ(stat->vsize, 16965632u);
  EXPECT_EQ(stat->rss_pages, 3353);
}

TEST(ParsePidStatTest, CommThatLooksLikeFields) {
  // A comm of "a) b) c" and one of "x) R 7 8": the fields start after the last ')'.
  auto fields = NumberedFields();
  const std::string text = StatLine("1234 (a) b) c)", fields);
  const auto stat = ParsePidStat(text);
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->comm, "a) b) c");
  EXPECT_EQ(stat->ppid, 40);

  fields[Index(3)] = "D";
  const std::string tricky = StatLine("9 (x) R 7 8)", fields);
  const auto tricky_stat = ParsePidStat(tricky);
  ASSERT_TRUE(tricky_stat.ok()) << tricky_stat.error();
  EXPECT_EQ(tricky_stat->comm, "x) R 7 8");
  EXPECT_EQ(tricky_stat->state, 'D');
  EXPECT_EQ(tricky_stat->ppid, 40);
}

TEST(ParsePidStatTest, CommWithSpacesNewlineAndEmptyComm) {
  const auto fields = NumberedFields();
  // The kernel prints comm raw: spaces, '(' and even a newline stay inside the parentheses.
  const std::string text = StatLine("77 (we ird (\n name)", fields);
  const auto stat = ParsePidStat(text);
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->comm, "we ird (\n name");
  EXPECT_EQ(stat->utime, 140u);
  EXPECT_EQ(stat->stime, 150u);

  const std::string empty = StatLine("78 ()", fields);
  const auto empty_stat = ParsePidStat(empty);
  ASSERT_TRUE(empty_stat.ok()) << empty_stat.error();
  EXPECT_EQ(empty_stat->comm, "");
  EXPECT_EQ(empty_stat->num_threads, 200);
}

TEST(ParsePidStatTest, EveryFieldFromItsPosition) {
  // Distinct values per field show that each member reads its proc(5) field number.
  const auto fields = NumberedFields();
  const std::string text = StatLine("5 (f)", fields);
  const auto stat = ParsePidStat(text);
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->state, 'S');
  EXPECT_EQ(stat->ppid, 40);
  EXPECT_EQ(stat->minor_faults, 100u);
  EXPECT_EQ(stat->major_faults, 120u);
  EXPECT_EQ(stat->utime, 140u);
  EXPECT_EQ(stat->stime, 150u);
  EXPECT_EQ(stat->num_threads, 200);
  EXPECT_EQ(stat->start_time, 220u);
  EXPECT_EQ(stat->vsize, 230u);
  EXPECT_EQ(stat->rss_pages, 240);
}

TEST(ParsePidStatTest, KernelThread) {
  // tests/fixtures/pid/kthreadd/stat: "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0
  // 1 0 24 0 0 ...": no parent, no memory.
  const std::string text = ReadFixture("pid/kthreadd/stat");
  const auto stat = ParsePidStat(text);
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->comm, "kthreadd");
  EXPECT_EQ(stat->state, 'S');
  EXPECT_EQ(stat->ppid, 0);
  EXPECT_EQ(stat->utime, 0u);
  EXPECT_EQ(stat->num_threads, 1);
  EXPECT_EQ(stat->start_time, 24u);
  EXPECT_EQ(stat->vsize, 0u);
  EXPECT_EQ(stat->rss_pages, 0);
}

TEST(ParsePidStatTest, Zombie) {
  // tests/fixtures/pid/zombie/stat: "29038 (python3) Z 28875 ... 225 0 0 0 0 0 0 0 20 0 1 0
  // 382239 0 0 ...": an unreaped child keeps its stat line, without memory.
  const std::string text = ReadFixture("pid/zombie/stat");
  const auto stat = ParsePidStat(text);
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->comm, "python3");
  EXPECT_EQ(stat->state, 'Z');
  EXPECT_EQ(stat->ppid, 28875);
  EXPECT_EQ(stat->minor_faults, 225u);
  EXPECT_EQ(stat->num_threads, 1);
  EXPECT_EQ(stat->start_time, 382239u);
  EXPECT_EQ(stat->vsize, 0u);
  EXPECT_EQ(stat->rss_pages, 0);
}

TEST(ParsePidStatTest, CapturesAgreeWithAnIndependentSplit) {
  for (const char* name : {"pid/sleep/stat", "pid/hostile-comm/stat", "pid/kthreadd/stat",
                           "pid/zombie/stat", "pid/setuid/stat"}) {
    SCOPED_TRACE(name);
    const std::string text = ReadFixture(name);
    const auto stat = ParsePidStat(text);
    ASSERT_TRUE(stat.ok()) << stat.error();
    // Field 3 onwards: tokens after the last ')'; token i is field i + 3.
    const auto tokens = Tokens(text.substr(text.rfind(')') + 1));
    ASSERT_EQ(tokens.size(), 50u);  // Fields 3..52 on this kernel.
    const auto field = [&](int k) { return tokens[static_cast<size_t>(k - 3)]; };
    EXPECT_EQ(std::string(1, stat->state), field(3));
    EXPECT_EQ(std::to_string(stat->ppid), field(4));
    EXPECT_EQ(std::to_string(stat->minor_faults), field(10));
    EXPECT_EQ(std::to_string(stat->major_faults), field(12));
    EXPECT_EQ(std::to_string(stat->utime), field(14));
    EXPECT_EQ(std::to_string(stat->stime), field(15));
    EXPECT_EQ(std::to_string(stat->num_threads), field(20));
    EXPECT_EQ(std::to_string(stat->start_time), field(22));
    EXPECT_EQ(std::to_string(stat->vsize), field(23));
    EXPECT_EQ(std::to_string(stat->rss_pages), field(24));
  }
}

TEST(ParsePidStatTest, OlderKernelEndingAtRss) {
  // Only the fields up to 24 are needed: a line ending there, newline included, parses.
  auto fields = NumberedFields();
  fields.resize(Index(24) + 1);
  const std::string text = StatLine("3 (short)", fields);
  const auto stat = ParsePidStat(text);
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->rss_pages, 240);
}

TEST(ParsePidStatTest, LargestValues) {
  auto fields = NumberedFields();
  fields[Index(14)] = "18446744073709551615";  // UINT64_MAX utime.
  fields[Index(4)] = "-1";                     // ppid is signed.
  fields[Index(24)] = "-5";                    // So is rss.
  const std::string text = StatLine("4 (big)", fields);
  const auto stat = ParsePidStat(text);
  ASSERT_TRUE(stat.ok()) << stat.error();
  EXPECT_EQ(stat->utime, 18446744073709551615ull);
  EXPECT_EQ(stat->ppid, -1);
  EXPECT_EQ(stat->rss_pages, -5);
}

struct BadStat {
  const char* name;
  std::string text;
  friend void PrintTo(const BadStat& c, std::ostream* os) { *os << c.name; }
};

BadStat WithField(const char* name, int field, const char* value) {
  auto fields = NumberedFields();
  fields[Index(field)] = value;
  return {name, StatLine("10 (x)", fields)};
}

BadStat Truncated(const char* name, int last_field) {
  auto fields = NumberedFields();
  fields.resize(Index(last_field) + 1);
  return {name, StatLine("10 (x)", fields)};
}

class ParsePidStatBadInputTest : public ::testing::TestWithParam<BadStat> {};

TEST_P(ParsePidStatBadInputTest, IsAnError) {
  const auto stat = ParsePidStat(GetParam().text);
  EXPECT_FALSE(stat.ok()) << "accepted: " << GetParam().text;
  if (!stat.ok()) {
    EXPECT_FALSE(stat.error().empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParsePidStatBadInputTest,
    ::testing::Values(
        BadStat{"Empty", ""}, BadStat{"Newline", "\n"},
        BadStat{"NoParentheses", "10 x S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21\n"},
        BadStat{"NoClosingParenthesis", "10 (x S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18\n"},
        BadStat{"NoOpeningParenthesis", "10 x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18\n"},
        BadStat{"ClosingBeforeOpening", ") 10 ( S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n"},
        BadStat{"NothingAfterComm", "10 (x)\n"}, BadStat{"OnlyState", "10 (x) S\n"},
        Truncated("EndsBeforeRss", 23), Truncated("EndsAtUtime", 14),
        WithField("EmptyStateField", 3, ""), WithField("StateTwoLetters", 3, "SS"),
        WithField("NonNumericPpid", 4, "one"), WithField("NonNumericMinflt", 10, "1O"),
        WithField("NonNumericMajflt", 12, "x"), WithField("NonNumericUtime", 14, "3s"),
        WithField("NonNumericStime", 15, "2.5"), WithField("NonNumericThreads", 20, "?"),
        WithField("NonNumericStartTime", 22, "382179a"), WithField("NonNumericVsize", 23, "0x10"),
        WithField("NonNumericRss", 24, "+-4"), WithField("NegativeUtime", 14, "-3"),
        WithField("NegativeStartTime", 22, "-1"),
        WithField("UtimeOverflowsUint64", 14, "18446744073709551616"),
        WithField("VsizeOverflowsUint64", 23, "99999999999999999999"),
        WithField("PpidOverflowsInt64", 4, "9223372036854775808"),
        WithField("ThreadsOverflowsInt64", 20, "-9223372036854775809"),
        WithField("NewlineBetweenFields", 15, "2\n3")),
    test::ParamName());

}  // namespace
}  // namespace vitals::procfs
