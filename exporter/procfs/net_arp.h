// /proc/net/arp: the IPv4 neighbour table, a header then one line per entry:
//   IP address       HW type     Flags       HW address            Mask     Device
//   192.0.2.1        0x1         0x2         02:fc:00:00:00:05     *        eth0
#pragma once

#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

struct ArpEntry {
  std::string_view ip_address;  // Each points into the input text.
  std::string_view hw_address;
  std::string_view device;
};

// Appends one entry per line after the header to `out` (cleared first). The first line
// must be the "IP address" header; every other line exactly 6 blank-separated columns
// with "0x" hex HW type and flags. Anything else fails the whole text, naming the line
// (prometheus/procfs fails on a column count other than 6, too); so does an empty text.
// Incomplete entries (flags 0x0) are entries, as in node_exporter 1.5.
Status ParseArp(std::string_view text, std::vector<ArpEntry>& out);

}  // namespace vitals::procfs
