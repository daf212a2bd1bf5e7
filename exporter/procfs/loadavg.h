// /proc/loadavg: "0.12 0.34 0.56 1/234 5678".
#pragma once

#include <string_view>

#include "base/result.h"

namespace vitals::procfs {

struct LoadAvg {
  double load1 = 0, load5 = 0, load15 = 0;
};

Result<LoadAvg> ParseLoadavg(std::string_view text);

}  // namespace vitals::procfs
