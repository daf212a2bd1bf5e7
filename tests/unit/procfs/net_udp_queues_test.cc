#include "procfs/net_udp_queues.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>

#include "test_util.h"

namespace vitals::procfs {
namespace {

using test::Lines;
using test::ReadFixture;
using test::Tokens;

TEST(ParseUdpQueuesTest, FixturesSumTheQueueColumns) {
  for (const char* fixture : {"proc/net/udp", "proc/net/udp6"}) {
    SCOPED_TRACE(fixture);
    const std::string text = ReadFixture(fixture);
    UdpQueues queues{.tx_queue = 9, .rx_queue = 9, .sockets = 9};  // Reset first.
    const Status status = ParseUdpQueues(text, queues);
    ASSERT_TRUE(status.ok()) << status.message();
    uint64_t tx = 0, rx = 0;
    const auto lines = Lines(text);
    for (size_t i = 1; i < lines.size(); ++i) {
      const std::string column = Tokens(lines[i])[4];  // "tx:rx"
      tx += std::stoull(column.substr(0, column.find(':')), nullptr, 16);
      rx += std::stoull(column.substr(column.find(':') + 1), nullptr, 16);
    }
    EXPECT_EQ(queues.sockets, lines.size() - 1);
    EXPECT_EQ(queues.tx_queue, tx);
    EXPECT_EQ(queues.rx_queue, rx);
  }
}

TEST(ParseUdpQueuesTest, NonZeroQueues) {
  UdpQueues queues;
  const Status status = ParseUdpQueues(
      "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
      "timeout inode ref pointer drops\n"
      "  1: 0100007F:4273 00000000:0000 07 00000010:00000A00 00:00000000 00000000     0        0 "
      "843132 2 000000005d7b5b8a 0\n"
      "  2: 00000000000000000000000001000000:4274 00000000000000000000000000000000:0000 07 "
      "00000001:00000001 00:00000000 00000000  1000        0 843133 2 00000000a5e2fa4d 0",
      queues);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(queues.sockets, 2u);
  EXPECT_EQ(queues.tx_queue, 0x10u + 1);
  EXPECT_EQ(queues.rx_queue, 0xA00u + 1);
}

TEST(ParseUdpQueuesTest, HeaderAloneIsNoSockets) {
  UdpQueues queues;
  ASSERT_TRUE(ParseUdpQueues("  sl  local_address rem_address   st\n", queues).ok());
  EXPECT_EQ(queues.sockets, 0u);
  EXPECT_EQ(queues.rx_queue, 0u);
}

struct BadInput {
  const char* name;
  std::string_view text;
  const char* says;
  friend void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }
};

class ParseUdpQueuesBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseUdpQueuesBadInputTest, IsAnError) {
  UdpQueues queues;
  const Status status = ParseUdpQueues(GetParam().text, queues);
  EXPECT_FALSE(status.ok()) << "accepted: " << GetParam().text;
  EXPECT_NE(status.message().find(GetParam().says), std::string::npos) << status.message();
}

#define HEADER "sl local_address rem_address st tx_queue rx_queue\n"
INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseUdpQueuesBadInputTest,
    ::testing::Values(
        BadInput{"Empty", "", "no 'sl local_address' header"},
        BadInput{"Garbage", "garbage\n", "no 'sl local_address' header"},
        BadInput{"Truncated", HEADER "1: 0100007F:4273 00000000:0000 07 00000000:00000000",
                 "line 2 (fewer than 10 columns)"},
        BadInput{"BlankLine", HEADER "\n", "line 2 (fewer than 10 columns)"},
        BadInput{"BadSlot", HEADER "x: 0100007F:4273 00000000:0000 07 0:0 0:0 0 0 0 1\n",
                 "invalid slot"},
        BadInput{"ShortAddress", HEADER "1: 7F:4273 00000000:0000 07 0:0 0:0 0 0 0 1\n",
                 "invalid address"},
        BadInput{"BadState", HEADER "1: 0100007F:4273 00000000:0000 zz 0:0 0:0 0 0 0 1\n",
                 "invalid state"},
        BadInput{"QueuesWithoutColon",
                 HEADER "1: 0100007F:4273 00000000:0000 07 00000000 0:0 0 0 0 1\n",
                 "invalid tx_queue:rx_queue"},
        BadInput{"QueueNotHex", HEADER "1: 0100007F:4273 00000000:0000 07 0:xyz 0:0 0 0 0 1\n",
                 "invalid tx_queue:rx_queue"},
        BadInput{"BadUid", HEADER "1: 0100007F:4273 00000000:0000 07 0:0 0:0 0 -1 0 1\n",
                 "invalid uid"},
        BadInput{"BadInode", HEADER "1: 0100007F:4273 00000000:0000 07 0:0 0:0 0 0 0 x\n",
                 "invalid inode"}),
    test::ParamName());
#undef HEADER

}  // namespace
}  // namespace vitals::procfs
