#include "procfs/proc_stat.h"

#include <climits>
#include <string>

#include "base/text.h"

namespace vitals::procfs {
namespace {

// "cpu3 4705 356 584 3699 23 23 0 0 0 0": at least user..idle must be present; older
// kernels omit the later columns.
bool ParseCpuLine(std::string_view label, std::string_view rest, CpuTimes& out) {
  if (label.size() > 3) {
    const auto index = ParseU64(label.substr(3));
    if (!index || *index > INT_MAX) return false;
    out.cpu = static_cast<int>(*index);
  }
  uint64_t* fields[] = {&out.user, &out.nice,    &out.system, &out.idle,  &out.iowait,
                        &out.irq,  &out.softirq, &out.steal,  &out.guest, &out.guest_nice};
  int parsed = 0;
  for (uint64_t* field : fields) {
    const std::string_view token = NextField(rest);
    if (token.empty()) break;
    const auto value = ParseU64(token);
    if (!value) return false;
    *field = *value;
    ++parsed;
  }
  return parsed >= 4;
}

// "softirq 104285 0 13461 ...": the total, then at least the ten vectors known since
// Linux 2.6.37 (later ones, should a kernel add any, are ignored, as prometheus/procfs's
// Sscanf does).
bool ParseSoftIrqLine(std::string_view rest, SoftIrqs& out) {
  if (!ParseU64(NextField(rest))) return false;
  for (uint64_t& vector : out) {
    const auto value = ParseU64(NextField(rest));
    if (!value) return false;
    vector = *value;
  }
  return true;
}

std::optional<uint64_t> FirstNumber(std::string_view rest) { return ParseU64(NextField(rest)); }

}  // namespace

Result<ProcStat> ParseProcStat(std::string_view text) {
  ProcStat stat;
  bool saw_cpu = false;
  while (!text.empty()) {
    std::string_view rest = NextLine(text);
    const std::string_view key = NextField(rest);
    if (key.empty()) continue;
    if (StartsWith(key, "cpu")) {
      CpuTimes times;
      if (!ParseCpuLine(key, rest, times)) {
        return Error{"malformed cpu line: " + std::string(key)};
      }
      saw_cpu = true;
      if (times.cpu >= 0) stat.cpus.push_back(times);
    } else if (key == "btime") {
      stat.boot_time = FirstNumber(rest);
    } else if (key == "ctxt") {
      stat.context_switches = FirstNumber(rest);
    } else if (key == "processes") {
      stat.forks = FirstNumber(rest);
    } else if (key == "intr") {
      stat.interrupts = FirstNumber(rest);
    } else if (key == "procs_running") {
      stat.procs_running = FirstNumber(rest);
    } else if (key == "procs_blocked") {
      stat.procs_blocked = FirstNumber(rest);
    } else if (key == "softirq") {
      // node_exporter fails /proc/stat as a whole on a malformed softirq line; so do we.
      SoftIrqs softirqs{};
      if (!ParseSoftIrqLine(rest, softirqs)) return Error{"malformed softirq line"};
      stat.softirqs = softirqs;
    }
  }
  if (!saw_cpu) return Error{"no cpu lines"};
  return stat;
}

}  // namespace vitals::procfs
