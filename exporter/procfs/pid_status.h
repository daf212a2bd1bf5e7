// /proc/<pid>/status: the fields of the human-readable status file that /proc/<pid>/stat
// lacks (memory split, swap, context switches, real uid, CPU affinity).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/result.h"

namespace vitals::procfs {

struct PidStatus {
  uint32_t real_uid = 0;
  uint32_t effective_uid = 0;  // Who the process acts as: what ps(1) shows.
  uint64_t rss_anon = 0, rss_file = 0, rss_shmem = 0, vm_swap = 0;  // Bytes.
  uint64_t voluntary_ctxt_switches = 0, nonvoluntary_ctxt_switches = 0;
  std::string_view cpus_allowed_list;  // "0-3,6"; points into the parsed text.
};

// Kernel threads lack the Vm/Rss lines: those stay 0. Uid is required.
Result<PidStatus> ParsePidStatus(std::string_view text);

// Number of CPUs in a list like "0-3,6"; nullopt when malformed.
std::optional<int> CountCpuList(std::string_view list);

}  // namespace vitals::procfs
