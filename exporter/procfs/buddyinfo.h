// /proc/buddyinfo: free blocks per memory zone and order, as prometheus/procfs 0.8.0's
// parseBuddyInfo reads it for node_exporter 1.5's buddyinfo collector:
//   "Node 0, zone   Normal   4381   1093    185 ..."
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

struct BuddyZone {
  std::string node;           // "0": the second field, trailing commas dropped.
  std::string zone;           // "Normal": the fourth field, likewise.
  std::vector<double> sizes;  // Free blocks of order 0, 1, ...
};

// Every line needs at least four fields, the same number of counts as the first
// line, and counts that Go's ParseFloat reads; a line longer than 65535 bytes fails
// (bufio.ErrTooLong). Any of these fails the whole file, as in procfs.
Result<std::vector<BuddyZone>> ParseBuddyinfo(std::string_view text);

}  // namespace vitals::procfs
