// /proc/pressure/* parser on arbitrary bytes.
#include <cmath>

#include "fuzz_util.h"
#include "procfs/pressure.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto pressure = vitals::procfs::ParsePressure(vitals::fuzz::AsText(data, size));
  if (pressure.ok()) {
    // Accepted averages are finite and non-negative.
    for (const auto& line : {pressure->some, pressure->full}) {
      if (line && !(std::isfinite(line->avg10) && line->avg10 >= 0 && line->avg60 >= 0 &&
                    line->avg300 >= 0 && std::isfinite(line->avg300))) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
