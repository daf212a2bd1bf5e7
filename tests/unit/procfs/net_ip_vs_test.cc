#include "procfs/net_ip_vs.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace vitals::procfs {
namespace {

TEST(ParseIpvsStatsTest, Fixture) {
  // tests/fixtures/proc/net/ip_vs_stats (prometheus/procfs's): the third line, in hex.
  const auto stats = ParseIpvsStats(test::ReadFixture("proc/net/ip_vs_stats"));
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats->connections, 0x16AA370u);
  EXPECT_EQ(stats->incoming_packets, 0xE33656E5u);
  EXPECT_EQ(stats->outgoing_packets, 0u);
  EXPECT_EQ(stats->incoming_bytes, 0x51D8C8883AB3u);
  EXPECT_EQ(stats->outgoing_bytes, 0u);
}

TEST(ParseIpvsStatsTest, Malformed) {
  const std::string header = "   Total Incoming Outgoing Incoming Outgoing\n   Conns ...\n";
  EXPECT_TRUE(ParseIpvsStats(header + " 1 2 3 4 5\n").ok());
  EXPECT_EQ(ParseIpvsStats(header + " ffffffffffffffff 0 0 0 0\n")->connections, UINT64_MAX);
  for (const std::string& bad :
       {std::string(), std::string("\n\n\n"), header + " 1 2 3 4 5",  // Too short.
        header + " 1 2 3 4\n", header + " 1 2 3 4 5 6\n", header + " 1 2 3 4 x\n",
        header + " 0x1 2 3 4 5\n", header + " -1 2 3 4 5\n", header + " 1_0 2 3 4 5\n",
        header + " 10000000000000000 2 3 4 5\n"}) {
    EXPECT_FALSE(ParseIpvsStats(bad).ok()) << bad;
  }
}

TEST(ParseIpvsAddressTest, Forms) {
  std::string address;
  uint16_t port = 0;
  ASSERT_TRUE(ParseIpvsAddress("C0A80016:0CEA", address, port));
  EXPECT_EQ(address, "192.168.0.22");
  EXPECT_EQ(port, 3306);
  // The separator is not checked, as in procfs.
  ASSERT_TRUE(ParseIpvsAddress("c0a80016x0050", address, port));
  EXPECT_EQ(port, 80);
  // Go's net.IP.String(): IPv4-mapped as IPv4, the first longest zero run as "::".
  const std::pair<const char*, const char*> v6[] = {
      {"[2620:0000:0000:0000:0000:0000:0000:0001]:0050", "2620::1"},
      {"[0000:0000:0000:0000:0000:ffff:c0a8:0001]:0035", "192.168.0.1"},
      {"[0000:0000:0000:0000:0000:0000:0102:0304]:0035", "::102:304"},
      {"[2001:0db8:0000:0000:0001:0000:0000:0001]:0035", "2001:db8::1:0:0:1"},
      {"[2001:0db8:0001:0000:0001:0000:0001:0000]:0035", "2001:db8:1:0:1:0:1:0"},
      {"[2001:0db8:0000:0001:0000:0000:0000:0000]:0035", "2001:db8:0:1::"},
      {"[0000:0000:0000:0000:0000:0000:0000:0000]:0035", "::"},
  };
  for (const auto& [text, want] : v6) {
    ASSERT_TRUE(ParseIpvsAddress(text, address, port)) << text;
    EXPECT_EQ(address, want) << text;
    EXPECT_EQ(port, 53u + (std::string(text).ends_with("0050") ? 27u : 0u)) << text;
  }
  for (const char* bad : {"", "C0A80016:CEA", "C0A8001:0CEA", "G0A80016:0CEA", "C0A80016:0CEG",
                          "[2620:0000:0000:0000:0000:0000:0000:000g]:0050",
                          "[2620:0000:0000:0000:0000:0000:0000:0001]:005x", "C0A80016:0CEA "}) {
    EXPECT_FALSE(ParseIpvsAddress(bad, address, port)) << bad;
  }
}

TEST(ParseIpvsBackendsTest, Fixture) {
  // tests/fixtures/proc/net/ip_vs: prometheus/procfs's, plus a hand-written UDP
  // service on an IPv4-mapped address.
  const auto backends = ParseIpvsBackends(test::ReadFixture("proc/net/ip_vs"));
  ASSERT_TRUE(backends.ok()) << backends.error();
  ASSERT_EQ(backends->size(), 17u);
  const IpvsBackend& first = backends->front();
  EXPECT_EQ(first.proto, "TCP");
  EXPECT_EQ(first.local_address, "192.168.0.22");
  EXPECT_EQ(first.local_port, 3306);
  EXPECT_EQ(first.local_mark, "");
  EXPECT_EQ(first.remote_address, "192.168.82.22");
  EXPECT_EQ(first.weight, 100u);
  EXPECT_EQ(first.active_connections, 248u);
  EXPECT_EQ(first.inactive_connections, 2u);
  const IpvsBackend& fwm = (*backends)[11];
  EXPECT_EQ(fwm.proto, "FWM");
  EXPECT_EQ(fwm.local_mark, "10001000");
  EXPECT_EQ(fwm.local_address, "");
  EXPECT_EQ(fwm.local_port, 0);
  EXPECT_EQ(fwm.remote_address, "192.168.50.26");
  EXPECT_EQ(fwm.inactive_connections, 1u);
  const IpvsBackend& last = backends->back();
  EXPECT_EQ(last.proto, "UDP");
  EXPECT_EQ(last.local_address, "192.168.0.1");
  EXPECT_EQ(last.local_mark, "");
  EXPECT_EQ(last.remote_address, "2001:db8:1:0:1:0:1:0");
}

TEST(ParseIpvsBackendsTest, SkippedAndMalformedLines) {
  const std::string service = "TCP  C0A80016:0CEA wlc\n";
  // Empty text, headers only, one-field lines (procfs panics on those), short "->" lines.
  for (const std::string& ok :
       {std::string(), std::string("IP Virtual Server\nProt LocalAddress:Port\n"),
        std::string("\n  \nTCP\nfoo\n"), service + "  -> C0A85216:0CEA Tunnel 100 248\n",
        std::string("  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n")}) {
    const auto backends = ParseIpvsBackends(ok);
    ASSERT_TRUE(backends.ok()) << ok << ": " << backends.error();
    EXPECT_TRUE(backends->empty()) << ok;
  }
  // A backend before any service line has empty local labels.
  const auto orphan = ParseIpvsBackends("  -> C0A85216:0CEA Tunnel 1 2 3");
  ASSERT_TRUE(orphan.ok());
  ASSERT_EQ(orphan->size(), 1u);
  EXPECT_EQ(orphan->front().proto, "");
  for (const std::string& bad :
       {std::string("TCP  C0A8001:0CEA wlc\n"), service + "  -> C0A85216:0CEA Tunnel -1 2 3\n",
        service + "  -> C0A85216:0CEA Tunnel 1 2 x\n", service + "  -> nowhere Tunnel 1 2 3\n",
        service + "  -> C0A85216:0CEA Tunnel 1 0x2 3\n"}) {
    EXPECT_FALSE(ParseIpvsBackends(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace vitals::procfs
