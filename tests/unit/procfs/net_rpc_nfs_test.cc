#include "procfs/net_rpc_nfs.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

// tests/fixtures/proc/net/rpc/nfs (prometheus/procfs's fixture).
TEST(NfsClientStatsTest, Fixture) {
  const auto stats = ParseNfsClientStats(test::ReadFixture("proc/net/rpc/nfs"));
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats->network.net_count, 18628u);
  EXPECT_EQ(stats->network.udp_count, 0u);
  EXPECT_EQ(stats->network.tcp_count, 18628u);
  EXPECT_EQ(stats->network.tcp_connect, 6u);
  EXPECT_EQ(stats->rpc_count, 4329785u);
  EXPECT_EQ(stats->retransmissions, 0u);
  EXPECT_EQ(stats->auth_refreshes, 4338291u);
  EXPECT_EQ(stats->v2[0], 2u);    // Null
  EXPECT_EQ(stats->v2[17], 2u);   // FsStat
  EXPECT_EQ(stats->v2[16], 99u);  // ReadDir
  EXPECT_EQ(stats->v3[1], 4084749u);
  EXPECT_EQ(stats->v3[21], 39u);  // Commit
  // proc4 has 61 values: the first 59 are kept.
  ASSERT_EQ(stats->v4.size(), kNfsClientV4Procedures);
  EXPECT_EQ(stats->v4[0], 1u);
  EXPECT_EQ(stats->v4[12], 1u);  // SetClientID
  EXPECT_EQ(stats->v4[21], 2u);  // Remove
}

TEST(NfsClientStatsTest, ShortV4IsPaddedAndMissingLinesAreZero) {
  const auto stats = ParseNfsClientStats("proc4 3 7 8 9\r\n");
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats->v4[0], 7u);
  EXPECT_EQ(stats->v4[2], 9u);
  EXPECT_EQ(stats->v4[3], 0u);
  EXPECT_EQ(stats->rpc_count, 0u);
  const auto empty = ParseNfsClientStats("");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->v3, std::vector<uint64_t>(kNfsV3Procedures));
}

TEST(NfsClientStatsTest, Malformed) {
  const std::string fixture = test::ReadFixture("proc/net/rpc/nfs");
  for (const std::string& bad : {
           std::string("\n"),               // an empty line
           std::string("net 1 2 3\n"),      // three values
           std::string("rpc 1 2 3 4\n"),    // four values (the server's count)
           std::string("net 1 2 3 -4\n"),   // signed
           std::string("net 1 2 3 0x4\n"),  // hex
           std::string("net 1 2 3 18446744073709551616\n"),
           std::string("proc2 18 2 69\n"),  // count 18, three values
           std::string("proc2 3 1 2 3\n"),  // fewer than 18 procedures
           std::string("proc4 2 1\n"),
           std::string("th 8 0\n"),  // a server line
           std::string("garbage\n"), std::string("\x01\x02 \xff\n"),
           fixture.substr(0, fixture.find("proc3") + 12),  // truncated inside proc3
       }) {
    EXPECT_FALSE(ParseNfsClientStats(bad).ok()) << bad;
  }
}

// tests/fixtures/proc/net/rpc/nfsd (prometheus/procfs's fixture).
TEST(NfsServerStatsTest, Fixture) {
  const auto stats = ParseNfsServerStats(test::ReadFixture("proc/net/rpc/nfsd"));
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats->rc_misses, 6u);
  EXPECT_EQ(stats->rc_nocache, 18622u);
  EXPECT_EQ(stats->io_read, 157286400u);
  EXPECT_EQ(stats->threads, 8u);
  EXPECT_EQ(stats->ra_cache_size, 32u);
  EXPECT_EQ(stats->network.tcp_connect, 6u);
  EXPECT_EQ(stats->rpc_count, 18628u);
  EXPECT_EQ(stats->v3[4], 111u);  // Access
  EXPECT_EQ(stats->v4_null, 2u);
  EXPECT_EQ(stats->v4_compound, 10853u);
  EXPECT_EQ(stats->v4_ops[3], 1098u);   // Access
  EXPECT_EQ(stats->v4_ops[22], 9609u);  // PutFH
  EXPECT_EQ(stats->v4_ops[37], 0u);     // RelLockOwner
}

TEST(NfsServerStatsTest, ThreadsLineParsesTwoValues) {
  const auto stats = ParseNfsServerStats("th 16 3 0.000 garbage\n");
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats->threads, 16u);
  EXPECT_EQ(stats->threads_full_count, 3u);
}

TEST(NfsServerStatsTest, Malformed) {
  const std::string fixture = test::ReadFixture("proc/net/rpc/nfsd");
  for (const std::string& bad : {
           std::string("\n"),
           std::string("th 8\n"),
           std::string("th 8 x\n"),
           std::string("rc 0 6\n"),
           std::string("fh 0 0 0 0\n"),
           std::string("ra 32 0 0\n"),
           std::string("rpc 1 2 3\n"),         // the client's count
           std::string("proc4 3 1 2 3\n"),     // exactly two
           std::string("proc4ops 3 1 2 3\n"),  // fewer than 39
           std::string("wdeleg_getattr 0\n"),  // unknown
           std::string("io 1.5 2\n"),
           fixture.substr(0, fixture.find("proc4ops") + 20),
       }) {
    EXPECT_FALSE(ParseNfsServerStats(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace vitals::procfs
