// cgroup v2 accounting of one cgroup (/sys/fs/cgroup/<path>/cpu.stat), for the systemd
// collector's per-unit resources. memory.current is one integer: ParseSysctlUint.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace vitals::procfs {

struct CgroupCpuStat {
  uint64_t usage_usec = 0;
  uint64_t user_usec = 0;
  uint64_t system_usec = 0;
};

// cpu.stat: "<key> <unsigned>" lines (usage_usec, user_usec, system_usec, then
// nr_periods... when the cpu controller is on); the three usec keys must be there.
// A line without exactly one value, a value that is not an unsigned 64-bit decimal
// or a key given twice fails, naming the line.
Result<CgroupCpuStat> ParseCgroupCpuStat(std::string_view text);

}  // namespace vitals::procfs
