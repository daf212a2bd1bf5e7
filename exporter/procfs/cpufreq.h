// /sys/devices/system/cpu/cpu<N>/cpufreq/: CPU frequency scaling, one directory (often a
// symlink to ../cpufreq/policy<M>) per CPU whose driver supports it. Frequencies in kHz.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "procfs/file_cache.h"

namespace vitals::procfs {

struct Cpufreq {
  std::string cpu;  // The name after "cpu" ("0", "12").
  // Absent when the file is missing or forbidden (cpuinfo_cur_freq is root-only).
  std::optional<uint64_t> cpuinfo_cur_khz, cpuinfo_max_khz, cpuinfo_min_khz,
      cpuinfo_transition_latency_ns, scaling_cur_khz, scaling_max_khz, scaling_min_khz;
  // Read only because node_exporter 1.5 fails without them; it publishes none.
  std::string available_governors, driver, governor, related_cpus, setspeed;
};

// strconv.ParseUint(strings.TrimSpace(s), 10, 64), ASCII whitespace only.
std::optional<uint64_t> ParseCpufreqUint(std::string_view s);

// The entries of `dir` (<sysfs>/devices/system/cpu) matching filepath.Glob's
// "cpu[0-9]*", sorted. An unreadable or missing `dir` gives none, as Glob ignores it.
std::vector<std::string> ListCpuDirs(const std::string& dir);

// cpu<N>/cpufreq under `dir` for `name` ("cpu0"), as prometheus/procfs 0.8.0 reads it:
// nullopt when there is no cpufreq directory; an error when stat fails otherwise, when a
// number file is unreadable for another reason than ENOENT/EACCES/EPERM or is not a
// number, or when any of the five text files cannot be read.
Result<std::optional<Cpufreq>> ReadCpufreq(FileCache& files, const std::string& dir,
                                           const std::string& name);

}  // namespace vitals::procfs
