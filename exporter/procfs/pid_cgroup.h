// /proc/<pid>/cgroup: one "hierarchy-ID:controller-list:cgroup-path" line per hierarchy
// (one "0::/path" line on a pure cgroup v2 host; v1 hierarchies first on a hybrid one).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

// The cgroup paths in file order. The path is everything after the second ':' (it
// may contain ':' itself); a line with fewer than two ':' fails, naming the line.
Result<std::vector<std::string>> ParsePidCgroupPaths(std::string_view text);

}  // namespace vitals::procfs
