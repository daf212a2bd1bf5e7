// /proc/net/{tcp,tcp6,udp,udp6}: the fixtures are real captures (tests/fixtures/README.md,
// made by tests/fixtures/capture_proc_net.py on x86_64, so little-endian words); the
// malformed lines are written here by hand.
#include "procfs/net_tcp.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

constexpr auto kLittle = std::endian::little;  // The capture machine's byte order.

// inet_ntop of the bytes, as an independent formatter.
std::string Ntop(const InetAddress& address) {
  char text[INET6_ADDRSTRLEN] = {};
  EXPECT_NE(inet_ntop(address.v6 ? AF_INET6 : AF_INET, address.bytes.data(), text, sizeof text),
            nullptr);
  return text;
}

// Decodes "ADDR:PORT" the way the kernel produced it on a little-endian host: each 8
// hex digits are a u32 that was read from memory, so its bytes go back in host order.
std::pair<std::string, int> Endpoint(const std::string& field) {
  const size_t colon = field.find(':');
  const std::string hex = field.substr(0, colon);
  unsigned char bytes[16] = {};
  for (size_t word = 0; word < hex.size() / 8; ++word) {
    const uint32_t value =
        static_cast<uint32_t>(std::strtoul(hex.substr(word * 8, 8).c_str(), nullptr, 16));
    std::memcpy(bytes + 4 * word, &value, 4);  // The test runs on little-endian x86_64.
  }
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(hex.size() == 32 ? AF_INET6 : AF_INET, bytes, text, sizeof text);
  return {text, static_cast<int>(std::strtol(field.substr(colon + 1).c_str(), nullptr, 16))};
}

std::vector<InetSocket> Parse(const std::string& text, size_t* malformed_out = nullptr) {
  std::vector<InetSocket> sockets;
  size_t malformed = 0;
  const Status status = ParseNetInet(text, sockets, malformed, kLittle);
  EXPECT_TRUE(status.ok()) << status.message();
  if (malformed_out != nullptr) {
    *malformed_out = malformed;
  } else {
    EXPECT_EQ(malformed, 0u);
  }
  return sockets;
}

TEST(DecodeHexAddressTest, IPv4WordIsLittleEndianOnX86) {
  const auto address = DecodeHexAddress("0100007F", kLittle);
  ASSERT_TRUE(address);
  EXPECT_FALSE(address->v6);
  EXPECT_EQ(Ntop(*address), "127.0.0.1");
  EXPECT_EQ(FormatAddress(*address), "127.0.0.1");
  // The same text written by a big-endian host means 1.0.0.127.
  EXPECT_EQ(Ntop(*DecodeHexAddress("0100007F", std::endian::big)), "1.0.0.127");
  EXPECT_EQ(Ntop(*DecodeHexAddress("0A00A8C0", kLittle)), "192.168.0.10");
  EXPECT_EQ(Ntop(*DecodeHexAddress("00000000", kLittle)), "0.0.0.0");
  EXPECT_EQ(Ntop(*DecodeHexAddress("ffffffff", kLittle)), "255.255.255.255");  // Lower case.
}

TEST(DecodeHexAddressTest, IPv6IsFourWords) {
  // Values as they appear in the tcp6 fixture.
  EXPECT_EQ(Ntop(*DecodeHexAddress("00000000000000000000000001000000", kLittle)), "::1");
  EXPECT_EQ(Ntop(*DecodeHexAddress("00000000000000000000000000000000", kLittle)), "::");
  const auto mapped = DecodeHexAddress("0000000000000000FFFF00000100007F", kLittle);
  ASSERT_TRUE(mapped);
  EXPECT_TRUE(mapped->v6);
  EXPECT_EQ(Ntop(*mapped), "::ffff:127.0.0.1");
  // 2001:db8::8:800:200c:417a (RFC 4291's example in the documentation prefix): its
  // bytes 20 01 0d b8 | 00 00 00 00 | 00 08 08 00 | 20 0c 41 7a, each word byte-swapped
  // by hand as a little-endian kernel prints it.
  const auto doc = DecodeHexAddress("B80D012000000000000808007A410C20", kLittle);
  ASSERT_TRUE(doc);
  EXPECT_EQ(Ntop(*doc), "2001:db8::8:800:200c:417a");
  EXPECT_EQ(FormatAddress(*doc), "2001:db8::8:800:200c:417a");
  // A big-endian kernel prints the bytes in memory order.
  EXPECT_EQ(Ntop(*DecodeHexAddress("20010DB80000000000080800200C417A", std::endian::big)),
            "2001:db8::8:800:200c:417a");
}

TEST(DecodeHexAddressTest, RejectsWrongLengthsAndDigits) {
  for (const char* bad :
       {"", "0100007", "0100007F0", "0100007G", "0x00007F", "-100007F", "+100007F", " 100007F",
        "0000000000000000FFFF00000100007", "0000000000000000FFFF00000100007F00",
        "0000000000000000FFFF0000010000zF"}) {
    EXPECT_FALSE(DecodeHexAddress(bad, kLittle)) << '"' << bad << '"';
  }
}

TEST(InetAddressTest, UnmappedAndUnspecified) {
  const InetAddress mapped = *DecodeHexAddress("0000000000000000FFFF00000100007F", kLittle);
  const InetAddress v4 = Unmapped(mapped);
  EXPECT_FALSE(v4.v6);
  EXPECT_EQ(v4, *DecodeHexAddress("0100007F", kLittle));
  const InetAddress loopback6 = *DecodeHexAddress("00000000000000000000000001000000", kLittle);
  EXPECT_EQ(Unmapped(loopback6), loopback6);  // Not mapped: unchanged.
  EXPECT_EQ(Unmapped(v4), v4);
  // ::ffff:0.0.0.0 is the mapped wildcard.
  EXPECT_TRUE(
      IsUnspecified(Unmapped(*DecodeHexAddress("0000000000000000FFFF000000000000", kLittle))));
  EXPECT_TRUE(IsUnspecified(*DecodeHexAddress("00000000")));
  EXPECT_TRUE(IsUnspecified(*DecodeHexAddress("00000000000000000000000000000000")));
  EXPECT_FALSE(IsUnspecified(loopback6));
  EXPECT_FALSE(IsUnspecified(mapped));
  EXPECT_FALSE(IsUnspecified(v4));
}

TEST(FormatAddressTest, AgreesWithInetNtop) {
  for (const char* text : {"::", "::1", "1::", "1:0:0:2::3", "2001:db8::1", "fe80::1:2:3:4",
                           "1:2:3:4:5:6:7:8", "1:0:2:0:3:0:4:0", "::ffff:10.1.2.3", "::1:0:0:0",
                           "0.0.0.0", "10.20.30.40", "255.255.255.255"}) {
    InetAddress address;
    address.v6 = std::string(text).find(':') != std::string::npos;
    ASSERT_EQ(inet_pton(address.v6 ? AF_INET6 : AF_INET, text, address.bytes.data()), 1) << text;
    EXPECT_EQ(FormatAddress(address), Ntop(address)) << text;
    EXPECT_EQ(FormatAddress(address), text);
  }
}

// Every line of every fixture against an independent reading of its columns.
class NetInetFixtureTest : public ::testing::TestWithParam<const char*> {};

TEST_P(NetInetFixtureTest, EveryLineMatches) {
  const std::string text = test::ReadFixture(std::string("proc/net/") + GetParam());
  const auto sockets = Parse(text);
  const auto lines = test::Lines(text);
  ASSERT_EQ(sockets.size(), lines.size() - 1);  // Minus the header.
  const bool v6 = std::string(GetParam()).back() == '6';
  for (size_t i = 0; i < sockets.size(); ++i) {
    const auto fields = test::Tokens(lines[i + 1]);
    SCOPED_TRACE(lines[i + 1]);
    ASSERT_GE(fields.size(), 10u);
    const auto [address, port] = Endpoint(fields[1]);
    EXPECT_EQ(sockets[i].local.v6, v6);
    EXPECT_EQ(Ntop(sockets[i].local), address);
    EXPECT_EQ(FormatAddress(sockets[i].local), address);
    EXPECT_EQ(sockets[i].local_port, port);
    EXPECT_EQ(sockets[i].state, std::stoul(fields[3], nullptr, 16));
    EXPECT_EQ(sockets[i].uid, std::stoul(fields[7]));
    EXPECT_EQ(sockets[i].inode, std::stoull(fields[9]));
  }
}

INSTANTIATE_TEST_SUITE_P(Files, NetInetFixtureTest,
                         ::testing::Values("tcp", "tcp6", "udp", "udp6"));

using Seen = std::set<std::tuple<std::string, int, int>>;  // address, port, state

Seen Summary(const std::vector<InetSocket>& sockets) {
  Seen seen;
  for (const auto& s : sockets) seen.insert({FormatAddress(s.local), s.local_port, s.state});
  return seen;
}

TEST(ParseNetInetTest, FixtureHoldsWhatTheCaptureOpened) {
  // The sockets capture_proc_net.py had open (see its docstring).
  const Seen tcp = Summary(Parse(test::ReadFixture("proc/net/tcp")));
  for (const auto& expected : Seen{{"127.0.0.1", 17001, kTcpListen},
                                   {"0.0.0.0", 17002, kTcpListen},
                                   {"127.0.0.1", 17001, kTcpEstablished}}) {
    EXPECT_TRUE(tcp.contains(expected)) << std::get<0>(expected) << ":" << std::get<1>(expected);
  }
  const Seen tcp6 = Summary(Parse(test::ReadFixture("proc/net/tcp6")));
  EXPECT_EQ(tcp6, (Seen{{"::1", 17003, kTcpListen},
                        {"::", 17004, kTcpListen},
                        {"::ffff:127.0.0.1", 17005, kTcpListen}}));
  const Seen udp = Summary(Parse(test::ReadFixture("proc/net/udp")));
  EXPECT_EQ(udp, (Seen{{"127.0.0.1", 17011, kTcpClose},
                       {"0.0.0.0", 17013, kTcpClose},
                       {"127.0.0.1", 17015, kTcpEstablished}}));
  const Seen udp6 = Summary(Parse(test::ReadFixture("proc/net/udp6")));
  EXPECT_EQ(udp6, (Seen{{"::1", 17012, kTcpClose}, {"::ffff:127.0.0.1", 17014, kTcpClose}}));
}

TEST(ParseNetInetTest, TimeWaitHasNoInode) {
  // TIME_WAIT (06) lines have no socket file: inode 0 (net/ipv4/tcp_ipv4.c
  // get_timewait4_sock), and fewer trailing columns.
  const auto sockets = Parse(test::ReadFixture("proc/net/tcp"));
  size_t time_wait = 0;
  for (const auto& s : sockets) {
    if (s.state != 0x06) continue;
    ++time_wait;
    EXPECT_EQ(s.inode, 0u);
  }
  EXPECT_GT(time_wait, 0u);
}

TEST(ParseNetInetTest, QueuesAreTxColonRxInHex) {
  const std::string text =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
      "timeout inode\n"
      "   0: 0100007F:4269 0100007F:D210 01 0000A000:00000F3C 00:00000000 00000000 0 0 7 1\n"
      "   1: 0100007F:4269 00000000:0000 0A 00000000:00000003 00:00000000 00000000 0 0 8 1\n";
  size_t malformed = 0;
  const auto sockets = Parse(text, &malformed);
  EXPECT_EQ(malformed, 0u);
  ASSERT_EQ(sockets.size(), 2u);
  EXPECT_EQ(sockets[0].tx_queue, 0xA000u);
  EXPECT_EQ(sockets[0].rx_queue, 0xF3Cu);
  EXPECT_EQ(sockets[1].tx_queue, 0u);
  EXPECT_EQ(sockets[1].rx_queue, 3u);  // A listener: its accept backlog.
  for (const char* queues :
       {"00000000", "00000000:", ":00000000", "0000000G:00000000", "000000000:00000000"}) {
    const std::string line = "   0: 0100007F:4269 0100007F:D210 01 " + std::string(queues) +
                             " 00:00000000 00000000 0 0 7 1\n";
    size_t bad = 0;
    EXPECT_TRUE(Parse(text.substr(0, text.find('\n') + 1) + line, &bad).empty()) << queues;
    EXPECT_EQ(bad, 1u) << queues;
  }
}

TEST(ParseNetInetTest, MalformedLinesAreSkippedAndCounted) {
  const std::string text =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
      "timeout inode\n"
      // A good line (from the fixture).
      "   0: 0100007F:4269 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0    "
      "    0 843127 1 00000000e5a1b2c3 100 0 0 10 0\n"
      // Cut off after the state.
      "   1: 0100007F:4269 00000000:0000 0A\n"
      // Six hex digits of address.
      "   2: 00007F:4269 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1\n"
      // A five-digit port.
      "   3: 0100007F:14269 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1\n"
      // No colon between address and port.
      "   4: 0100007F4269 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1\n"
      // A state that is not hex.
      "   5: 0100007F:4269 00000000:0000 ZZ 00000000:00000000 00:00000000 00000000 0 0 1 1\n"
      // An inode that is not a number.
      "   6: 0100007F:4269 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 abc 1\n"
      // A negative uid.
      "   7: 0100007F:4269 00000000:0000 0A 00000000:00000000 00:00000000 00000000 -1 0 1 1\n"
      // IPv4 local with an IPv6 remote.
      "   8: 0100007F:4269 00000000000000000000000000000000:0000 0A 00000000:00000000 "
      "00:00000000 00000000 0 0 1 1\n"
      // No "N:" slot.
      "0100007F:4269 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1\n"
      // A uid above 32 bits.
      "   9: 0100007F:4269 00000000:0000 0A 00000000:00000000 00:00000000 00000000 4294967296 0 "
      "1 1\n"
      "\n"
      // Another good one, with a negative timeout (printed with %d) and uid 1000.
      "  10: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000   "
      "    -1 4242 2 0000000000000000 0";  // No final newline.
  size_t malformed = 0;
  const auto sockets = Parse(text, &malformed);
  EXPECT_EQ(malformed, 10u);
  ASSERT_EQ(sockets.size(), 2u);
  EXPECT_EQ(FormatAddress(sockets[0].local), "127.0.0.1");
  EXPECT_EQ(sockets[0].local_port, 17001);
  EXPECT_EQ(sockets[0].inode, 843127u);
  EXPECT_EQ(FormatAddress(sockets[1].local), "0.0.0.0");
  EXPECT_EQ(sockets[1].local_port, 53);
  EXPECT_EQ(sockets[1].state, kTcpClose);
  EXPECT_EQ(sockets[1].uid, 1000u);
  EXPECT_EQ(sockets[1].inode, 4242u);
}

TEST(ParseNetInetTest, HeaderIsRequired) {
  std::vector<InetSocket> sockets(3);
  size_t malformed = 7;
  for (const char* text :
       {"", "\n",
        "   0: 0100007F:4269 00000000:0000 0A 00000000:00000000 00:00000000 00000000 "
        "0 0 1 1\n",
        "Inter-|   Receive\n"}) {
    EXPECT_FALSE(ParseNetInet(text, sockets, malformed).ok()) << text;
  }
  // A header alone: an empty table.
  EXPECT_TRUE(ParseNetInet("  sl  local_address rem_address   st\n", sockets, malformed).ok());
  EXPECT_TRUE(sockets.empty());
  EXPECT_EQ(malformed, 0u);
}

}  // namespace
}  // namespace vitals::procfs
