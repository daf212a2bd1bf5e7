// /proc/pressure/{cpu,io,memory}: pressure stall information (PSI, kernel >= 4.20 with
// CONFIG_PSI), e.g.
//   some avg10=0.00 avg60=0.12 avg300=0.05 total=70671385
//   full avg10=0.00 avg60=0.00 avg300=0.00 total=41898437
// `total` is the stall time in microseconds since boot.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/result.h"

namespace vitals::procfs {

struct PressureLine {
  double avg10 = 0, avg60 = 0, avg300 = 0;  // Percentages of wall time.
  uint64_t total_us = 0;
};

struct Pressure {
  std::optional<PressureLine> some;  // At least one task stalled.
  std::optional<PressureLine> full;  // All non-idle tasks stalled (cpu: kernel >= 5.13).
};

// Parses one pressure file. A "some" or "full" line must be exactly those four
// key=value fields in that order (averages finite and >= 0, total an unsigned 64-bit
// decimal); a line of another kind is skipped, as prometheus/procfs does, so a kind
// added by a later kernel is not an error. An empty text, a blank line, a malformed or
// repeated some/full line fail, naming the line.
Result<Pressure> ParsePressure(std::string_view text);

}  // namespace vitals::procfs
