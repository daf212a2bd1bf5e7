// Any /proc/sys file as prometheus/procfs 0.8.0's FS.SysctlStrings / SysctlInts read it
// for node_exporter 1.5's sysctl collector: one read of at most 128 bytes
// (util.SysReadFile), white space trimmed, split into fields; as integers each field
// is Go's strconv.ParseInt(s, 0, 64)
// (go_text.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vitals::procfs {

inline constexpr size_t kSysReadFileSize = 128;

// The fields of the first 128 bytes of `text`, split at ASCII white space.
std::vector<std::string> SysctlFields(std::string_view text);

// "kernel.random.entropy_avail" -> "sys/kernel/random/entropy_avail" (procfs's
// sysctlToPath: every '.' is a '/').
std::string SysctlPath(std::string_view name);

}  // namespace vitals::procfs
