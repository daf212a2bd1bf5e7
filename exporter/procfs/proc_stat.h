// /proc/stat: per-CPU time counters and system-wide activity counters.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

// Times in USER_HZ ticks, as the kernel prints them.
struct CpuTimes {
  int cpu = -1;  // -1 for the aggregate "cpu" line.
  uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0,
           guest = 0, guest_nice = 0;
};

// The "softirq" line's per-vector counts, in the kernel's order (kSoftIrqVectors).
using SoftIrqs = std::array<uint64_t, 10>;
inline constexpr std::array<const char*, 10> kSoftIrqVectors = {
    "hi",           "timer",   "net_tx", "net_rx",  "block",
    "block_iopoll", "tasklet", "sched",  "hrtimer", "rcu"};

struct ProcStat {
  std::vector<CpuTimes> cpus;  // Per-CPU lines only, in file order.
  std::optional<uint64_t> boot_time;
  std::optional<uint64_t> context_switches;
  std::optional<uint64_t> forks;
  std::optional<uint64_t> interrupts;
  std::optional<uint64_t> procs_running;
  std::optional<uint64_t> procs_blocked;
  std::optional<SoftIrqs> softirqs;  // Absent without a "softirq" line.
};

Result<ProcStat> ParseProcStat(std::string_view text);

// Kernel USER_HZ; fixed at 100 on every Linux architecture Prometheus supports.
inline constexpr double kUserHz = 100.0;

}  // namespace vitals::procfs
