// adjtimex(2) with modes 0: the kernel clock discipline's state, read only.
#pragma once

#include <cstdint>

#include "base/result.h"

namespace vitals::procfs {

// struct timex's fields that node_exporter publishes, as the kernel returns them: the
// units depend on `status` (STA_NANO: offset and jitter in nanoseconds, else in
// microseconds); freq, ppsfreq and stabil are in ppm with a 16-bit fraction.
struct Timex {
  int state = 0;  // adjtimex's return value: TIME_OK (0) .. TIME_ERROR (5).
  int64_t offset = 0;
  int64_t freq = 0;
  int64_t maxerror = 0;  // Microseconds.
  int64_t esterror = 0;  // Microseconds.
  int32_t status = 0;    // STA_* bits.
  int64_t constant = 0;
  int64_t tick = 0;  // Microseconds between clock ticks.
  int64_t ppsfreq = 0;
  int64_t jitter = 0;
  int32_t shift = 0;
  int64_t stabil = 0;
  int64_t jitcnt = 0;
  int64_t calcnt = 0;
  int64_t errcnt = 0;
  int64_t stbcnt = 0;
  int32_t tai = 0;  // Seconds.
};

inline constexpr int kTimeError = 5;         // TIME_ERROR: the clock is not synchronised.
inline constexpr int32_t kStaNano = 0x2000;  // STA_NANO: nanosecond resolution.

// Calls adjtimex(2) without changing anything. The error keeps errno (EPERM where a
// seccomp filter forbids the call).
Result<Timex> ReadTimex();

}  // namespace vitals::procfs
