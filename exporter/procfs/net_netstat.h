// /proc/net/netstat, /proc/net/snmp and /proc/net/snmp6: the kernel's protocol counters.
//
// netstat and snmp come as pairs of lines, a header of field names and a line of values,
// both starting with the protocol:
//   TcpExt: SyncookiesSent SyncookiesRecv ...
//   TcpExt: 0 0 ...
// snmp6 has one "name value" line per field, the protocol being the name up to its first
// "6" ("Ip6InReceives 3" is protocol "Ip6", field "InReceives"), as node_exporter reads it.
#pragma once

#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

struct NetstatEntry {
  std::string_view protocol;  // "TcpExt", "Ip", "Icmp6"; points into the input text.
  std::string_view name;      // "SyncookiesSent", "InReceives"; points into the input.
  // The value as node_exporter's strconv.ParseFloat reads it: exact up to 2^53. The
  // kernel prints unsigned longs, except a few signed ones (Tcp MaxConn is -1).
  double value = 0;
};

// Appends one entry per field of a netstat/snmp text to `out` (which is NOT cleared, so
// the three files can be gathered in one vector). Each header line must be followed by
// a value line of the same protocol with as many values as the header has names; a
// protocol is a [A-Za-z0-9]+ word with a ':' suffix, a name is [A-Za-z0-9_]+, a value a
// decimal integer (a '-' sign allowed) within 64 bits. Anything else (a blank line, a
// missing value line, a count or protocol mismatch) fails the whole text, naming the
// line; so does an empty text. A protocol may repeat (the kernel splits IcmpMsg into
// lines of 16 fields).
Status ParseNetstat(std::string_view text, std::vector<NetstatEntry>& out);

// Appends one entry per line of an snmp6 text to `out` (not cleared). Each line must be
// a name containing a "6" that is not its last character, and one value as above,
// separated by blanks; anything else fails the whole text, naming the line. An empty
// text fails too.
Status ParseSnmp6(std::string_view text, std::vector<NetstatEntry>& out);

}  // namespace vitals::procfs
