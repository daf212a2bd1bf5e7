// /proc/vmstat: one "name value" line per kernel VM counter, e.g. "pgfault 59259616".
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

struct VmstatEntry {
  std::string_view name;  // e.g. "pgmajfault"; points into the input text.
  uint64_t value = 0;     // The kernel prints unsigned longs; a wrapped counter can be
                          // near 2^64, beyond what a double holds exactly.
};

// Appends one entry per line to `out` (cleared first, so a caller that keeps `out`
// allocates nothing once its capacity is reached). Every line must be exactly a name of
// [A-Za-z0-9_] characters and an unsigned decimal that fits in 64 bits, separated by
// blanks; anything else (a blank line, a missing or extra field, a sign, a value past
// 2^64-1) fails the whole text, naming the line. An empty text fails too.
Status ParseVmstat(std::string_view text, std::vector<VmstatEntry>& out);

}  // namespace vitals::procfs
