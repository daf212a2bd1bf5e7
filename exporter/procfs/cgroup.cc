#include "procfs/cgroup.h"

#include <string>

#include "base/text.h"

namespace vitals::procfs {

Result<CgroupCpuStat> ParseCgroupCpuStat(std::string_view text) {
  CgroupCpuStat stat;
  bool seen[3] = {false, false, false};
  size_t number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++number;
    if (line.empty()) continue;
    const size_t space = line.find(' ');
    const auto value =
        space == std::string_view::npos ? std::nullopt : ParseU64(line.substr(space + 1));
    if (!value) {
      return Error{"cpu.stat line " + std::to_string(number) + ": not \"<key> <unsigned>\""};
    }
    const std::string_view key = line.substr(0, space);
    int index = -1;
    if (key == "usage_usec") index = 0;
    if (key == "user_usec") index = 1;
    if (key == "system_usec") index = 2;
    if (index < 0) continue;  // nr_periods, throttled_usec, core_sched.force_idle_usec...
    if (seen[index]) {
      return Error{"cpu.stat line " + std::to_string(number) + ": " + std::string(key) + " twice"};
    }
    seen[index] = true;
    (index == 0 ? stat.usage_usec : index == 1 ? stat.user_usec : stat.system_usec) = *value;
  }
  if (!seen[0] || !seen[1] || !seen[2]) {
    return Error{"cpu.stat: usage_usec, user_usec or system_usec missing"};
  }
  return stat;
}

}  // namespace vitals::procfs
