// /proc/net/ip_vs_stats and /proc/net/ip_vs: the IPVS (Linux virtual server) totals and
// its services' backends, as prometheus/procfs 0.8.0's ipvs.go reads them for
// node_exporter 1.5's ipvs collector, e.g.
//   ip_vs_stats:  "   Total Incoming ...\n   Conns  Packets ...\n 16AA370 E33656E5 0 ..."
//   ip_vs:        "TCP  C0A80016:0CEA wlc\n  -> C0A85216:0CEA      Tunnel  100    248   2"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

struct IpvsStats {
  uint64_t connections = 0, incoming_packets = 0, outgoing_packets = 0, incoming_bytes = 0,
           outgoing_bytes = 0;
};

// The third line's five hexadecimal numbers (no "0x"; each fits 64 bits). The text
// needs at least three newlines and exactly five fields there; anything else fails.
Result<IpvsStats> ParseIpvsStats(std::string_view text);

struct IpvsBackend {
  std::string local_address;  // "" for a firewall-mark (FWM) service.
  uint16_t local_port = 0;    // 0 for FWM.
  std::string local_mark;     // The FWM service's mark as written (hex), else "".
  std::string remote_address;
  uint16_t remote_port = 0;
  std::string proto;  // "TCP", "UDP" or "FWM".
  uint64_t weight = 0, active_connections = 0, inactive_connections = 0;
};

// An "ADDR:PORT" of /proc/net/ip_vs as procfs reads it: 13 characters, 8 hex digits of
// an IPv4 address; or 46, "[" and an IPv6 address of 39 characters; then the port's
// last 4 hex digits (the separator is not checked). The address as Go's net.IP prints
// it: dotted IPv4, IPv4-mapped IPv6 addresses as IPv4, other IPv6 ones in RFC 5952
// form. False on anything else.
bool ParseIpvsAddress(std::string_view text, std::string& address, uint16_t& port);

// One IpvsBackend per "->" line with at least 6 fields, in file order, attached to the
// service line ("TCP"/"UDP" ADDR:PORT, or "FWM" MARK) before it. Blank lines, the
// headers ("IP ...", "Prot ...", "... RemoteAddress:Port ...") and lines too short to
// use are skipped; procfs's index panic on a one-field line is a skip here. A malformed
// address or a weight or connection count that is no decimal fails.
Result<std::vector<IpvsBackend>> ParseIpvsBackends(std::string_view text);

}  // namespace vitals::procfs
