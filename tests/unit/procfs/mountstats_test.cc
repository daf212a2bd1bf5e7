#include "procfs/mountstats.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(ParseMountStatsTest, FixtureMounts) {
  // tests/fixtures/proc/26231/mountstats: prometheus/procfs's (four plain mounts and an
  // NFSv4 tcp mount, statvers 1.1) plus hand-written nfsd, NFSv3 udp (statvers 1.0) and a
  // second mount of the first export.
  const auto mounts = ParseMountStats(test::ReadFixture("proc/26231/mountstats"));
  ASSERT_TRUE(mounts.ok()) << mounts.error();
  ASSERT_EQ(mounts->size(), 8u);
  EXPECT_EQ((*mounts)[0].device, "rootfs");
  EXPECT_FALSE((*mounts)[0].nfs);
  const MountStats& tcp = (*mounts)[4];
  EXPECT_EQ(tcp.device, "192.168.1.1:/srv/test");
  EXPECT_EQ(tcp.mount_point, "/mnt/nfs/test");
  EXPECT_EQ(tcp.type, "nfs4");
  ASSERT_TRUE(tcp.nfs);
  EXPECT_EQ(tcp.nfs->age_seconds, 13968);
  EXPECT_EQ(tcp.nfs->bytes[0], 1207640230u);
  EXPECT_EQ(tcp.nfs->bytes[6], 295483u);
  EXPECT_EQ(tcp.nfs->events[0], 52u);
  EXPECT_EQ(tcp.nfs->events[26], 0u);
  EXPECT_EQ(tcp.nfs->transport.protocol, "tcp");
  // "xprt: tcp 832 0 1 0 11 6428 6428 0 12154 0 24 26 5726"
  EXPECT_EQ(tcp.nfs->transport.values,
            (std::array<uint64_t, 13>{832, 0, 1, 0, 11, 6428, 6428, 0, 12154, 0, 24, 26, 5726}));
  ASSERT_EQ(tcp.nfs->operations.size(), 4u);
  const auto& access = tcp.nfs->operations[3];
  EXPECT_EQ(access.operation, "ACCESS");
  EXPECT_EQ(access.requests, 2927395007u);
  EXPECT_EQ(access.queue_ms, 18446743919241604546u);
  EXPECT_EQ(access.request_ms, 1953587717u);
  // "xprt: udp 832 3 100 99 0 5 7" (1.0): no connect, connect_idle_time, idle_time.
  const MountStats& udp = (*mounts)[6];
  ASSERT_TRUE(udp.nfs);
  EXPECT_EQ(udp.nfs->age_seconds, 120.5);
  EXPECT_EQ(udp.nfs->transport.values,
            (std::array<uint64_t, 13>{832, 3, 0, 0, 0, 100, 99, 0, 5, 7, 0, 0, 0}));
  ASSERT_EQ(udp.nfs->operations.size(), 2u);
  EXPECT_EQ(udp.nfs->operations[1].operation, "GETATTR");  // 9 numbers: the 9th ignored.
  EXPECT_EQ(udp.nfs->operations[1].request_ms, 45u);
  EXPECT_FALSE((*mounts)[5].nfs);  // nfsd: 8 words, no statistics.
}

TEST(ParseMountStatsTest, EmptyAndNoDeviceLines) {
  for (const char* text : {"", "\n\n", "garbage\x01\xff\n  READ: 1 2 3\n"}) {
    const auto mounts = ParseMountStats(text);
    ASSERT_TRUE(mounts.ok()) << mounts.error();
    EXPECT_TRUE(mounts->empty());
  }
}

TEST(ParseMountStatsTest, BlankLineBeforePerOpStartsTheTable) {
  // procfs leaves the statistics at the first blank line and reads the per-op table from
  // there: the next "device" line (8 words) is a malformed operation.
  const auto mounts = ParseMountStats(
      "device a:/b mounted on /c with fstype nfs statvers=1.1\n"
      "\tage:\t1\n\n"
      "device rootfs mounted on / with fstype rootfs\n");
  EXPECT_FALSE(mounts.ok());
}

struct BadInput {
  const char* name;
  const char* text;
  friend void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }
};

class ParseMountStatsBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseMountStatsBadInputTest, IsAnError) {
  EXPECT_FALSE(ParseMountStats(GetParam().text).ok()) << GetParam().text;
}

#define NFS_LINE "device a:/b mounted on /c with fstype nfs4 statvers=1.1\n"
INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseMountStatsBadInputTest,
    ::testing::Values(
        BadInput{"TruncatedDevice", "device a mounted on /c with fstype\n"},
        BadInput{"NotMountedOn", "device a mounted at /c with fstype ext4\n"},
        BadInput{"StatsOnOtherType", "device a mounted on /c with fstype ext4 statvers=1.1\n"},
        BadInput{"AgeNotADuration", NFS_LINE "\tage:\t1h\n"},
        BadInput{"AgeMissing", NFS_LINE "\tage:\n"},
        BadInput{"BytesShort", NFS_LINE "\tbytes:\t1 2 3\n"},
        BadInput{"BytesNotNumbers", NFS_LINE "\tbytes:\t1 2 3 4 5 6 7 x\n"},
        BadInput{"EventsShort", NFS_LINE "\tevents:\t1 2\n"},
        BadInput{"XprtWrongLength", NFS_LINE "\txprt:\ttcp 1 2 3\n"},
        BadInput{"XprtUnknownProtocol", NFS_LINE "\txprt:\trdma 1 2 3 4 5 6 7 8 9 10 11 12 13\n"},
        BadInput{"XprtUnknownVersion",
                 "device a:/b mounted on /c with fstype nfs statvers=1.2\n"
                 "\txprt:\ttcp 1 2 3 4 5 6 7 8 9 10 11 12 13\n"},
        BadInput{"PerOpShort", NFS_LINE "\tper-op statistics\n\t READ: 1 2 3\n"},
        BadInput{"PerOpNegative", NFS_LINE "\tper-op statistics\n\t READ: 1 2 3 4 5 6 7 -8\n"}),
    test::ParamName());
#undef NFS_LINE

TEST(ParseMountinfoAddrsTest, FixtureAndOptions) {
  const auto addrs = ParseMountinfoAddrs(test::ReadFixture("proc/26231/mountinfo"));
  ASSERT_TRUE(addrs.ok()) << addrs.error();
  ASSERT_EQ(addrs->size(), 8u);
  EXPECT_EQ((*addrs)[0], "");
  EXPECT_EQ((*addrs)[4], "192.168.1.1");
  EXPECT_EQ((*addrs)[6], "192.168.1.2");
  const auto last = ParseMountinfoAddrs("1 2 0:1 / / rw - nfs x addr=a,addr=b=c\n");
  ASSERT_TRUE(last.ok()) << last.error();
  EXPECT_EQ((*last)[0], "b");
  EXPECT_FALSE(ParseMountinfoAddrs("1 2 0:1 / / rw - nfs\n").ok());
  EXPECT_FALSE(ParseMountinfoAddrs("1 2 0:1 / / rw x nfs x rw\n").ok());
  EXPECT_FALSE(ParseMountinfoAddrs("one 2 0:1 / / rw - nfs x rw\n").ok());
  EXPECT_TRUE(ParseMountinfoAddrs("")->empty());
}

TEST(ParseGoDurationTest, AsGo) {
  EXPECT_EQ(ParseGoDuration("13968s"), int64_t{13968} * 1000000000);
  EXPECT_EQ(ParseGoDuration("1.5s"), 1500000000);
  EXPECT_EQ(ParseGoDuration("1m30s"), 90000000000);
  EXPECT_EQ(ParseGoDuration("-2ms"), -2000000);
  EXPECT_EQ(ParseGoDuration(".5s"), 500000000);
  EXPECT_EQ(ParseGoDuration("0"), 0);
  EXPECT_FALSE(ParseGoDuration("1hs"));
  EXPECT_FALSE(ParseGoDuration("s"));
  EXPECT_FALSE(ParseGoDuration(".s"));
  EXPECT_FALSE(ParseGoDuration("1"));
  EXPECT_FALSE(ParseGoDuration(""));
  EXPECT_FALSE(ParseGoDuration("9223372037s"));  // Past int64 nanoseconds.
}

}  // namespace
}  // namespace vitals::procfs
