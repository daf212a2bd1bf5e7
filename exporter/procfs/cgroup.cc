#include "procfs/cgroup.h"

#include <set>
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

namespace {

bool IsDevice(std::string_view field) {
  const size_t colon = field.find(':');
  return colon != std::string_view::npos && ParseU64(field.substr(0, colon)) &&
         ParseU64(field.substr(colon + 1));
}

// io.stat's keys we publish, in CgroupIoStat's order; -1 for one we skip.
int IoKey(std::string_view key) {
  constexpr std::string_view kKeys[] = {"rbytes", "wbytes", "rios", "wios"};
  for (int i = 0; i < 4; ++i) {
    if (key == kKeys[i]) return i;
  }
  return -1;
}

}  // namespace

Result<CgroupIoStat> ParseCgroupIoStat(std::string_view text) {
  uint64_t sums[4] = {};
  std::set<std::string_view> devices;
  for (size_t number = 1; !text.empty(); ++number) {
    std::string_view line = NextLine(text);
    const auto fail = [number](std::string_view what) {
      return Error{"io.stat line " + std::to_string(number) + ": " + std::string(what)};
    };
    const std::string_view device = NextField(line);
    if (device.empty() && line.empty()) continue;
    if (!IsDevice(device)) return fail("not \"<major>:<minor> key=value...\"");
    if (!devices.insert(device).second) return fail("device " + std::string(device) + " twice");
    bool seen[4] = {};
    for (std::string_view field = NextField(line); !field.empty(); field = NextField(line)) {
      const size_t equals = field.find('=');
      if (equals == std::string_view::npos) return fail("field without '='");
      const std::string_view key = field.substr(0, equals);
      const int index = IoKey(key);
      if (index < 0) continue;  // dbytes, dios, cost.*: not published.
      const auto value = ParseU64(field.substr(equals + 1));
      if (!value) return fail(std::string(key) + " not an unsigned integer");
      if (seen[index]) return fail(std::string(key) + " twice");
      seen[index] = true;
      sums[index] += *value;
    }
  }
  return CgroupIoStat{sums[0], sums[1], sums[2], sums[3]};
}

}  // namespace vitals::procfs
