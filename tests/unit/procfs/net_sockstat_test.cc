#include "procfs/net_sockstat.h"

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

TEST(ParseSockstatTest, FixtureEveryLine) {
  for (const char* fixture : {"proc/net/sockstat", "proc/net/sockstat6"}) {
    SCOPED_TRACE(fixture);
    const std::string text = ReadFixture(fixture);
    Sockstat stat;
    const Status status = ParseSockstat(text, stat);
    ASSERT_TRUE(status.ok()) << status.message();
    size_t protocol = 0;
    for (const auto& line : Lines(text)) {
      const auto tokens = Tokens(line);
      SCOPED_TRACE(line);
      ASSERT_GE(tokens.size(), 3u);
      const std::string name = tokens[0].substr(0, tokens[0].size() - 1);
      if (name == "sockets") {
        ASSERT_EQ(tokens[1], "used");
        ASSERT_TRUE(stat.sockets_used.has_value());
        EXPECT_EQ(*stat.sockets_used, std::stoll(tokens[2]));
        continue;
      }
      ASSERT_LT(protocol, stat.protocols.size());
      const SockstatProtocol& parsed = stat.protocols[protocol++];
      EXPECT_EQ(parsed.protocol, name);
      // Every key of the line is a known one in these captures; each must be set.
      for (size_t i = 1; i + 1 < tokens.size(); i += 2) {
        const std::optional<int64_t>* slot = tokens[i] == "inuse"    ? &parsed.inuse
                                             : tokens[i] == "orphan" ? &parsed.orphan
                                             : tokens[i] == "tw"     ? &parsed.tw
                                             : tokens[i] == "alloc"  ? &parsed.alloc
                                             : tokens[i] == "mem"    ? &parsed.mem
                                             : tokens[i] == "memory" ? &parsed.memory
                                                                     : nullptr;
        ASSERT_NE(slot, nullptr) << tokens[i];
        ASSERT_TRUE(slot->has_value()) << tokens[i];
        EXPECT_EQ(**slot, std::stoll(tokens[i + 1])) << tokens[i];
      }
    }
    EXPECT_EQ(protocol, stat.protocols.size());
  }
}

TEST(ParseSockstatTest, FixtureValues) {
  const std::string text = ReadFixture("proc/net/sockstat");
  Sockstat stat;
  ASSERT_TRUE(ParseSockstat(text, stat).ok());
  // "sockets: used 13", "TCP: inuse 3 orphan 0 tw 2 alloc 3 mem 200", "UDP: inuse 0 mem 0".
  EXPECT_EQ(stat.sockets_used, 13);
  ASSERT_GE(stat.protocols.size(), 2u);
  const auto& tcp = stat.protocols[0];
  EXPECT_EQ(tcp.protocol, "TCP");
  EXPECT_EQ(tcp.inuse, 3);
  EXPECT_EQ(tcp.orphan, 0);
  EXPECT_EQ(tcp.tw, 2);
  EXPECT_EQ(tcp.alloc, 3);
  EXPECT_EQ(tcp.mem, 200);
  EXPECT_FALSE(tcp.memory.has_value());
  EXPECT_EQ(stat.protocols[1].protocol, "UDP");
  EXPECT_FALSE(stat.protocols[1].tw.has_value());
}

TEST(ParseSockstatTest, UnknownKeysSkippedAndReuse) {
  Sockstat stat;
  ASSERT_TRUE(ParseSockstat("sockets: used 1\nTCP: inuse 1\n", stat).ok());
  // sockstat6 has no "sockets:" line: the previous value must not survive.
  const Status status = ParseSockstat("TCP6: inuse -2 pressure 1\tmem 5", stat);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_FALSE(stat.sockets_used.has_value());
  ASSERT_EQ(stat.protocols.size(), 1u);
  EXPECT_EQ(stat.protocols[0].protocol, "TCP6");
  EXPECT_EQ(stat.protocols[0].inuse, -2);
  EXPECT_EQ(stat.protocols[0].mem, 5);
}

struct BadInput {
  const char* name;
  std::string_view text;
  const char* says;
  friend void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }
};

class ParseSockstatBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseSockstatBadInputTest, IsAnError) {
  Sockstat stat;
  const Status status = ParseSockstat(GetParam().text, stat);
  EXPECT_FALSE(status.ok()) << "accepted: " << GetParam().text;
  EXPECT_NE(status.message().find(GetParam().says), std::string::npos) << status.message();
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseSockstatBadInputTest,
    ::testing::Values(
        BadInput{"Empty", "", "empty sockstat"},
        BadInput{"Garbage", "garbage\n", "line 1 (no 'PROTOCOL:')"},
        BadInput{"BlankLine", "TCP: inuse 1\n\n", "line 2 (no 'PROTOCOL:')"},
        BadInput{"TruncatedKeyOnly", "TCP: inuse 1\nUDP: inuse", "line 2 (a key without a value)"},
        BadInput{"ProtocolOnly", "TCP:\n", "line 1 (no key/value pair)"},
        BadInput{"NonNumeric", "TCP: inuse x\n", "not a 64-bit integer"},
        BadInput{"Float", "TCP: inuse 1.5\n", "not a 64-bit integer"},
        BadInput{"UpperCaseKey", "TCP: INUSE 1\n", "invalid key"},
        BadInput{"RepeatedKey", "TCP: inuse 1 tw 2 inuse 3\n", "repeated key"},
        BadInput{"RepeatedProtocol", "TCP: inuse 1\nTCP: inuse 2\n", "line 2 (repeated protocol)"},
        BadInput{"RepeatedSockets", "sockets: used 1\nsockets: used 2\n", "repeated protocol"},
        BadInput{"SocketsWithoutUsed", "sockets: free 1\n", "no 'used'"},
        BadInput{"ProtocolWithDash", "T-CP: inuse 1\n", "invalid protocol"}),
    test::ParamName());

}  // namespace
}  // namespace vitals::procfs
