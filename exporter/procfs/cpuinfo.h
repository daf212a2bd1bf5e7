// /proc/cpuinfo as prometheus/procfs 0.8.0's parseCPUInfoX86 reads it (the parser
// node_exporter 1.5 uses on amd64 and 386): "key\t: value" lines, one block per
// "processor" line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace vitals::procfs {

// The fields node_exporter's node_cpu_info, node_cpu_flag_info and node_cpu_bug_info
// publish, as printed after ": " (not trimmed, as procfs keeps them).
struct CpuInfo {
  uint32_t processor = 0;
  std::string vendor_id, cpu_family, model, model_name, microcode, stepping, cache_size,
      physical_id, core_id;
  std::vector<std::string> flags, bugs;
};

// The first non-blank line must start with "processor" and hold ": " and a number;
// the numeric fields procfs converts (processor, siblings, cpu cores, cpuid level,
// clflush size, cache_alignment: Go's ParseUint(s, 0, 32); cpu MHz, bogomips:
// ParseFloat) must parse, or the whole file fails, as in procfs. Other lines without
// ": " are skipped. Like Go's bufio.Scanner, parsing stops silently at a line longer
// than 65535 bytes, and only the first MiB is read (util.ReadFileNoStat).
Result<std::vector<CpuInfo>> ParseCpuInfo(std::string_view text);

}  // namespace vitals::procfs
