// /sys/class/powercap/intel-rapl:*: RAPL energy counters (Documentation/power/powercap/
// powercap.rst), read as prometheus/procfs 0.8.0's GetRaplZones reads them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "procfs/file_cache.h"

namespace vitals::procfs {

struct RaplZone {
  std::string name;   // "package" (of "package-0"), "core", "dram", "psys"
  int64_t index = 0;  // from "package-<N>", else the how-many-th zone of that name
  std::string path;   // filepath.Join(<sysfs>/class/powercap, entry): the "path" label
  uint64_t max_microjoules = 0;
};

// Go's filepath.Clean: no repeated or trailing '/', no "." elements, ".." resolved
// lexically; "" becomes ".".
std::string GoCleanPath(std::string_view path);

// node_exporter's SanitizeMetricName: each run of _*[^0-9A-Za-z_]+_* becomes one '_'.
std::string SanitizeMetricName(std::string_view name);

// The zones of `dir` (<sysfs>/class/powercap): every entry with a readable "name" file,
// in directory order. Fails when `dir` cannot be listed (errno kept: ENOENT means no
// powercap at all) or a zone's max_energy_range_uj cannot be read or parsed.
Result<std::vector<RaplZone>> ReadRaplZones(FileCache& files, const std::string& dir);

// util.ReadUintFromFile: the whole file, TrimSpace, strconv.ParseUint base 10.
Result<uint64_t> ReadSysfsUint(FileCache& files, const std::string& path);

}  // namespace vitals::procfs
