#include "procfs/filefd.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(ParseFileNrTest, Fixture) {
  const std::string text = test::ReadFixture("proc/sys/fs/file-nr");
  const auto tokens = test::Tokens(text);  // "968\t0\t2466097\n"
  ASSERT_EQ(tokens.size(), 3u);
  const auto nr = ParseFileNr(text);
  ASSERT_TRUE(nr.ok()) << nr.error();
  EXPECT_EQ(nr->allocated, std::stoull(tokens[0]));
  EXPECT_EQ(nr->unused, std::stoull(tokens[1]));
  EXPECT_EQ(nr->maximum, std::stoull(tokens[2]));
}

TEST(ParseFileNrTest, FileMaxAtLongMaxAndNoNewline) {
  // fs.file-max defaults to LONG_MAX on some kernels.
  const auto nr = ParseFileNr("1024\t0\t9223372036854775807");
  ASSERT_TRUE(nr.ok()) << nr.error();
  EXPECT_EQ(nr->allocated, 1024u);
  EXPECT_EQ(nr->maximum, 9223372036854775807ull);
}

TEST(ParseFileNrTest, RejectsMalformed) {
  for (const char* bad :
       {"", "\n", "1024\t0\n", "1024\t0\t", "1024", "a\tb\tc\n", "1024\t0\t10\t5\n",
        "1024\t0\t10\n\n", "1024\t0\t10\nx\n", "-1\t0\t10\n", "1024\t0\t18446744073709551616\n"}) {
    const auto nr = ParseFileNr(bad);
    EXPECT_FALSE(nr.ok()) << "accepted '" << bad << "'";
    if (!nr.ok()) {
      EXPECT_NE(nr.error().find("malformed file-nr"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace vitals::procfs
