#include "procfs/net_netstat.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "test_util.h"

namespace vitals::procfs {
namespace {

using test::Lines;
using test::ReadFixture;
using test::Tokens;

const NetstatEntry* Find(const std::vector<NetstatEntry>& entries, std::string_view protocol,
                         std::string_view name) {
  for (const auto& entry : entries) {
    if (entry.protocol == protocol && entry.name == name) return &entry;
  }
  return nullptr;
}

// Every header/value line pair of a netstat/snmp fixture, read independently of the
// parser: (protocol without ':', name, value text).
struct Expected {
  std::string protocol, name, value;
};
std::vector<Expected> PairsOf(const std::string& text) {
  std::vector<Expected> expected;
  const auto lines = Lines(text);
  EXPECT_EQ(lines.size() % 2, 0u);
  for (size_t i = 0; i + 1 < lines.size(); i += 2) {
    const auto names = Tokens(lines[i]);
    const auto values = Tokens(lines[i + 1]);
    EXPECT_EQ(names.size(), values.size()) << lines[i];
    EXPECT_EQ(names[0], values[0]);
    for (size_t j = 1; j < names.size() && j < values.size(); ++j) {
      expected.push_back({names[0].substr(0, names[0].size() - 1), names[j], values[j]});
    }
  }
  return expected;
}

class ParseNetstatFixtureTest : public ::testing::TestWithParam<const char*> {};

TEST_P(ParseNetstatFixtureTest, EveryFieldInOrder) {
  const std::string text = ReadFixture(GetParam());  // Views point into it.
  std::vector<NetstatEntry> entries;
  const Status status = ParseNetstat(text, entries);
  ASSERT_TRUE(status.ok()) << status.message();
  const auto expected = PairsOf(text);
  ASSERT_EQ(entries.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(expected[i].protocol + " " + expected[i].name);
    EXPECT_EQ(entries[i].protocol, expected[i].protocol);
    EXPECT_EQ(entries[i].name, expected[i].name);
    EXPECT_EQ(entries[i].value, std::stod(expected[i].value));
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ParseNetstatFixtureTest,
                         ::testing::Values("proc/net/netstat", "proc/net/snmp"));

TEST(ParseNetstatTest, FixtureValues) {
  const std::string netstat = ReadFixture("proc/net/netstat");
  const std::string snmp = ReadFixture("proc/net/snmp");
  std::vector<NetstatEntry> entries;
  ASSERT_TRUE(ParseNetstat(netstat, entries).ok());
  ASSERT_TRUE(ParseNetstat(snmp, entries).ok());  // Appends.
  // netstat: "IpExt: ... InOctets OutOctets ..." = "3381678058 3312131090";
  // snmp: "Tcp: ... MaxConn ActiveOpens ..." = "-1 24407", "Ip: Forwarding" = 2,
  // "IcmpMsg: InType3" = 3.
  ASSERT_NE(Find(entries, "IpExt", "InOctets"), nullptr);
  EXPECT_EQ(Find(entries, "IpExt", "InOctets")->value, 3381678058.0);
  EXPECT_EQ(Find(entries, "IpExt", "OutOctets")->value, 3312131090.0);
  ASSERT_NE(Find(entries, "Tcp", "MaxConn"), nullptr);
  EXPECT_EQ(Find(entries, "Tcp", "MaxConn")->value, -1.0);
  EXPECT_EQ(Find(entries, "Tcp", "ActiveOpens")->value, 24407.0);
  EXPECT_EQ(Find(entries, "Ip", "Forwarding")->value, 2.0);
  EXPECT_EQ(Find(entries, "IcmpMsg", "InType3")->value, 3.0);
  EXPECT_EQ(entries.front().protocol, "TcpExt");
  EXPECT_EQ(entries.front().name, "SyncookiesSent");
  EXPECT_EQ(entries.back().protocol, "UdpLite");
  EXPECT_EQ(entries.back().name, "MemErrors");
}

TEST(ParseNetstatTest, RepeatedProtocolAndHugeValues) {
  std::vector<NetstatEntry> entries;
  // The kernel prints IcmpMsg in lines of 16 fields, so a protocol may come twice.
  const Status status = ParseNetstat(
      "IcmpMsg: InType0 InType3\nIcmpMsg: 18446744073709551615 9007199254740993\n"
      "IcmpMsg: OutType3\nIcmpMsg: 4",
      entries);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].value, 18446744073709551615.0);
  EXPECT_EQ(entries[1].value, 9007199254740992.0);  // The nearest double, as ParseFloat.
  EXPECT_EQ(entries[2].name, "OutType3");
  EXPECT_EQ(entries[2].value, 4.0);
}

TEST(ParseSnmp6Test, FixtureEveryLine) {
  const std::string text = ReadFixture("proc/net/snmp6");
  std::vector<NetstatEntry> entries = {{"stale", "kept", 1}};  // Appends: kept.
  const Status status = ParseSnmp6(text, entries);
  ASSERT_TRUE(status.ok()) << status.message();
  const auto lines = Lines(text);
  ASSERT_EQ(entries.size(), lines.size() + 1);
  EXPECT_EQ(entries[0].protocol, "stale");
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto tokens = Tokens(lines[i]);
    SCOPED_TRACE(lines[i]);
    ASSERT_EQ(tokens.size(), 2u);
    const size_t six = tokens[0].find('6');
    EXPECT_EQ(entries[i + 1].protocol, tokens[0].substr(0, six + 1));
    EXPECT_EQ(entries[i + 1].name, tokens[0].substr(six + 1));
    EXPECT_EQ(entries[i + 1].value, std::stod(tokens[1]));
  }
  // "Ip6InReceives 3", "Icmp6OutType135 6", "UdpLite6InDatagrams 0" in the fixture.
  ASSERT_NE(Find(entries, "Ip6", "InReceives"), nullptr);
  EXPECT_EQ(Find(entries, "Ip6", "InReceives")->value, 3.0);
  ASSERT_NE(Find(entries, "Icmp6", "OutType135"), nullptr);
  EXPECT_EQ(Find(entries, "Icmp6", "OutType135")->value, 6.0);
  EXPECT_NE(Find(entries, "UdpLite6", "InDatagrams"), nullptr);
}

struct BadInput {
  const char* name;
  std::string_view text;
  const char* says;
  friend void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }
};

class ParseNetstatBadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseNetstatBadInputTest, IsAnError) {
  std::vector<NetstatEntry> entries;
  const Status status = ParseNetstat(GetParam().text, entries);
  EXPECT_FALSE(status.ok()) << "accepted: " << GetParam().text;
  EXPECT_NE(status.message().find(GetParam().says), std::string::npos) << status.message();
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseNetstatBadInputTest,
    ::testing::Values(
        BadInput{"Empty", "", "empty netstat"},
        BadInput{"Garbage", "garbage\n", "line 1 (no 'Protocol:')"},
        BadInput{"TruncatedNoValueLine", "Tcp: InSegs OutSegs\n", "line 1 (no value line)"},
        BadInput{"TruncatedValues", "Tcp: InSegs OutSegs\nTcp: 5\n",
                 "line 2 (fewer values than names)"},
        BadInput{"ExtraValue", "Tcp: InSegs\nTcp: 5 6\n", "line 2 (more values than names)"},
        BadInput{"OtherProtocolsValues", "Tcp: InSegs\nUdp: 5\n", "not the values of Tcp"},
        BadInput{"BlankLineBetween", "Tcp: InSegs\n\nTcp: 5\n", "line 2 (not the values of Tcp)"},
        BadInput{"BlankLineAfter", "Tcp: InSegs\nTcp: 5\n\n", "line 3 (no 'Protocol:')"},
        BadInput{"NoNames", "Tcp:\nTcp:\n", "line 1 (no field names)"},
        BadInput{"NonNumeric", "Tcp: InSegs\nTcp: lots\n", "not a 64-bit integer"},
        BadInput{"Float", "Tcp: InSegs\nTcp: 1.5\n", "not a 64-bit integer"},
        BadInput{"TooBig", "Tcp: InSegs\nTcp: 18446744073709551616\n", "not a 64-bit integer"},
        BadInput{"TooNegative", "Tcp: InSegs\nTcp: -9223372036854775809\n", "not a 64-bit integer"},
        BadInput{"CarriageReturn", "Tcp: InSegs\nTcp: 5\r\n", "not a 64-bit integer"},
        BadInput{"NameWithDash", "Tcp: In-Segs\nTcp: 5\n", "invalid field name"},
        BadInput{"ProtocolWithDash", "T-cp: InSegs\nT-cp: 5\n", "no 'Protocol:'"},
        BadInput{"NulInName", std::string_view("Tcp: In\0Segs\nTcp: 5\n", 20),
                 "invalid field name"}),
    test::ParamName());

class ParseSnmp6BadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ParseSnmp6BadInputTest, IsAnError) {
  std::vector<NetstatEntry> entries;
  const Status status = ParseSnmp6(GetParam().text, entries);
  EXPECT_FALSE(status.ok()) << "accepted: " << GetParam().text;
  EXPECT_NE(status.message().find(GetParam().says), std::string::npos) << status.message();
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseSnmp6BadInputTest,
    ::testing::Values(BadInput{"Empty", "", "empty snmp6"},
                      BadInput{"Garbage", "garbage\n", "line 1 (no protocol"},
                      BadInput{"TruncatedNoValue", "Ip6InReceives 3\nIp6InHdrErrors\n",
                               "line 2 (no value)"},
                      BadInput{"BlankLine", "Ip6InReceives 3\n\n", "line 2 (no field name)"},
                      BadInput{"NoSix", "IpInReceives 3\n", "no protocol"},
                      BadInput{"SixLast", "Ip6 3\n", "no protocol"},
                      BadInput{"ExtraField", "Ip6InReceives 3 4\n", "extra field"},
                      BadInput{"NonNumeric", "Ip6InReceives x\n", "not a 64-bit integer"},
                      BadInput{"NetstatFormat", "Ip6: InReceives\nIp6: 3\n", "invalid field name"}),
    test::ParamName());

}  // namespace
}  // namespace vitals::procfs
