// /sys/class/power_supply/<name>/: batteries, mains adapters, USB ports
// (Documentation/ABI/testing/sysfs-class-power), read as prometheus/procfs 0.8.0 reads
// them: each regular file of a known name, its first 128 bytes, trimmed; numbers with
// strconv.ParseInt(s, 0, 64).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "procfs/file_cache.h"

namespace vitals::procfs {

struct PowerSupply {
  std::string name;
  std::map<std::string, int64_t> numbers;    // "capacity" -> 98, by file name
  std::map<std::string, std::string> texts;  // "status" -> "Discharging", by file name
  // Files whose read failed in a way node_exporter does not skip (EIO, ENODATA), or
  // whose number did not parse: left out here; node_exporter fails on them.
  std::vector<std::string> errors;
};

// True for the attribute files prometheus/procfs 0.8.0 parses as numbers / as text.
bool IsPowerSupplyNumber(std::string_view file);
bool IsPowerSupplyText(std::string_view file);

// The entries of `dir` (<sysfs>/class/power_supply), sorted; an error when it cannot be
// listed (ENOENT: no power supply class at all).
Result<std::vector<std::string>> ListPowerSupplies(const std::string& dir);

// Supply `name` under `dir`; fails only when its directory cannot be listed.
Result<PowerSupply> ReadPowerSupply(FileCache& files, const std::string& dir,
                                    const std::string& name);

}  // namespace vitals::procfs
