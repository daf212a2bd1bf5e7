// cgroup v2 accounting of one cgroup (/sys/fs/cgroup/<path>/{cpu,io}.stat), for the
// systemd collector's per-unit resources. memory.current, memory.peak and pids.current
// are one integer each (ParseSysctlUint); the *.pressure files are PSI (ParsePressure).
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

// Bytes and operations of one cgroup, summed over its devices.
struct CgroupIoStat {
  uint64_t read_bytes = 0;
  uint64_t written_bytes = 0;
  uint64_t reads = 0;
  uint64_t writes = 0;
};

// io.stat: one line per device, "<major>:<minor>" then key=value fields
// ("rbytes=... wbytes=... rios=... wios=... dbytes=... dios=..."; iocost adds cost.*
// keys). Empty when the cgroup did no I/O. Keys other than rbytes, wbytes, rios and wios
// are skipped; a line whose device is not "<major>:<minor>", a field without '=', a
// known key given twice on a line or with a value that is not an unsigned 64-bit decimal,
// or a device listed twice fails, naming the line.
Result<CgroupIoStat> ParseCgroupIoStat(std::string_view text);

}  // namespace vitals::procfs
