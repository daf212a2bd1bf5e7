// /sys/class/thermal: thermal zones (thermal_zone<N>/{type,policy,temp,mode,passive}) and
// cooling devices (cooling_device<N>/{type,cur_state,max_state}), read as prometheus/
// procfs 0.8.0 reads them (Documentation/ABI/testing/sysfs-class-thermal).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "procfs/file_cache.h"

namespace vitals::procfs {

struct ThermalZone {
  std::string name;  // "0" of thermal_zone0
  std::string type;  // "acpitz", "x86_pkg_temp"
  int64_t temp_millicelsius = 0;
};

struct CoolingDevice {
  std::string name;       // "0" of cooling_device0
  std::string type;       // "Processor", "intel_powerclamp"
  int64_t cur_state = 0;  // -1 for intel_powerclamp when idle injection is off
  int64_t max_state = 0;
};

// The entries of `dir` matching filepath.Glob's "<prefix>[0-9]*", sorted.
std::vector<std::string> GlobNumbered(const std::string& dir, std::string_view prefix);

// util.SysReadFile's view of a file: its first 128 bytes, bytes.TrimSpace'd.
std::string_view SysfsTrim(std::string_view content);

// strconv.ParseInt(s, 10, 64): an optional sign, decimal digits, nothing else.
std::optional<int64_t> ParseGoInt(std::string_view s);

// thermal_zone<N> in `dir`: type, policy and temp are required, mode and passive
// optional (absent or forbidden is fine; another error or an unparsable passive fails).
// The Error keeps the errno (ENODATA: node_exporter skips the zone).
Result<ThermalZone> ReadThermalZone(FileCache& files, const std::string& dir,
                                    const std::string& entry);

// cooling_device<N> in `dir`: type, max_state and cur_state, all required.
Result<CoolingDevice> ReadCoolingDevice(FileCache& files, const std::string& dir,
                                        const std::string& entry);

}  // namespace vitals::procfs
