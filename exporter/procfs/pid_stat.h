// /proc/<pid>/stat (proc(5)): the one-line summary of a process.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace vitals::procfs {

struct PidStat {
  std::string_view comm;  // Between the first '(' and the last ')'; may hold spaces or ')'.
  char state = '?';
  int64_t ppid = 0;
  uint64_t minor_faults = 0;
  uint64_t major_faults = 0;
  uint64_t utime = 0;  // USER_HZ ticks.
  uint64_t stime = 0;
  int64_t num_threads = 0;
  uint64_t start_time = 0;  // USER_HZ ticks after boot.
  uint64_t vsize = 0;       // Bytes.
  int64_t rss_pages = 0;
};

// `comm` points into `text`.
Result<PidStat> ParsePidStat(std::string_view text);

}  // namespace vitals::procfs
