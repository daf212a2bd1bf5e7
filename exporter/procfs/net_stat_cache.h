// /proc/net/stat/<cache> (arp_cache, ndisc_cache, nf_conntrack, rt_cache...): a header
// line of counter names, then one line of hex counters per CPU, as prometheus/procfs
// 0.8.0's FS.NetStat reads them for node_exporter 1.5's lnstat collector.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

// One counter name and its values in line order. A counter's value index is its "cpu"
// label: a short line shifts the later lines' values of the names it lacks, as in
// procfs. A name given twice in the header collects the values of both columns.
struct NetStatCounter {
  std::string name;
  std::vector<uint64_t> values;
};

// Values are Go's ParseUint(s, 16, 64): hex digits without "0x". A value that does
// not parse, or a line with more values than the header has names (procfs indexes
// past the header and node_exporter panics), fails the file. A line longer than 65535
// bytes ends the file silently (procfs does not check the scanner's error).
Result<std::vector<NetStatCounter>> ParseNetStatCache(std::string_view text);

}  // namespace vitals::procfs
