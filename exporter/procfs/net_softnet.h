// /proc/net/softnet_stat: one line per online CPU of 32-bit hex counters (%08x):
// processed, dropped, time_squeeze, five zero columns, cpu_collision, then, on newer
// kernels, received_rps (2.6.39), flow_limit_count (4.18), backlog length and the CPU's
// index (5.10), input and process queue lengths (6.x).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

// What node_exporter 1.5 publishes of a line.
struct SoftnetStat {
  uint32_t processed = 0;
  uint32_t dropped = 0;
  uint32_t time_squeezed = 0;
};

// Appends one entry per line to `out` (cleared first), in file order (node_exporter 1.5
// labels them with that position, not the index column). Each line must have at least 9
// blank-separated columns, each 1 to 8 hex digits; anything else fails the whole text,
// naming the line; so does an empty text.
Status ParseSoftnet(std::string_view text, std::vector<SoftnetStat>& out);

}  // namespace vitals::procfs
