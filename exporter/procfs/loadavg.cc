#include "procfs/loadavg.h"

#include <cmath>

#include "base/text.h"

namespace vitals::procfs {

Result<LoadAvg> ParseLoadavg(std::string_view text) {
  LoadAvg load;
  double* fields[] = {&load.load1, &load.load5, &load.load15};
  for (double* field : fields) {
    const auto value = ParseDouble(NextField(text));
    // from_chars accepts "nan" and "inf"; the kernel never prints them, nor negatives.
    if (!value || !std::isfinite(*value) || *value < 0) return Error{"malformed loadavg"};
    *field = *value;
  }
  return load;
}

}  // namespace vitals::procfs
