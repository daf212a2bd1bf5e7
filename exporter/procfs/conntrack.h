// /proc/net/stat/nf_conntrack: a header line, then one line per CPU of 17 hexadecimal
// counters, e.g.
//   entries  clashres found new invalid ignore delete chainlength insert insert_failed ...
//   00000007  00000000 0000001a 00000000 00000003 0000002b 00000000 00000000 00000064 ...
// (the header's names vary between kernels, the column count does not).
#pragma once

#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace vitals::procfs {

// The columns node_exporter 1.5 publishes, summed over the CPUs (modulo 2^64, like
// its uint64 sums); prometheus/procfs's column positions.
struct ConntrackStat {
  uint64_t found = 0;           // column 2
  uint64_t invalid = 0;         // column 4
  uint64_t ignore = 0;          // column 5
  uint64_t insert = 0;          // column 8
  uint64_t insert_failed = 0;   // column 9
  uint64_t drop = 0;            // column 10
  uint64_t early_drop = 0;      // column 11
  uint64_t search_restart = 0;  // column 16
  size_t cpus = 0;              // Lines after the header.
};

// The header must have 17 blank-separated names starting with "entries"; each
// following line exactly 17 hexadecimal numbers (no "0x", each fits in 64 bits). An
// empty text, a missing header or any other line fails, naming the line. A header
// without CPU lines is zero CPUs (all sums 0), as prometheus/procfs reads it.
Result<ConntrackStat> ParseConntrackStat(std::string_view text);

}  // namespace vitals::procfs
