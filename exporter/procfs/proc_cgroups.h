// /proc/cgroups: the cgroup v1 controllers, as prometheus/procfs 0.8.0's
// parseCgroupSummary reads it for node_exporter 1.5's cgroups collector:
//   "#subsys_name	hierarchy	num_cgroups	enabled" then "memory	4	126	1".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

struct CgroupSummary {
  std::string subsys_name;
  int64_t hierarchy = 0, cgroups = 0, enabled = 0;
};

// Lines starting with '#' are skipped; every other line (an empty one too) needs at
// least four fields, the last three Go Atoi integers; a line longer than 65535 bytes
// fails (bufio.ErrTooLong). Any of these fails the whole file, as in procfs.
Result<std::vector<CgroupSummary>> ParseProcCgroups(std::string_view text);

}  // namespace vitals::procfs
