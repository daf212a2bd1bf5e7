// /sys/class/hwmon/hwmon<N>/: hardware monitoring chips (Documentation/hwmon/
// sysfs-interface.rst), read the way node_exporter 1.5's hwmon collector reads them:
// every file named <type><number>_<property> of a known type, in the chip's directory
// and in its device/ directory (older drivers put their attributes there).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "procfs/file_cache.h"

namespace vitals::procfs {

// A sensor attribute file name split as node_exporter's regular expression
// ^(?P<type>[^0-9]+)(?P<id>[0-9]*)?(_(?P<property>.+))?$ splits it.
struct HwmonFilename {
  std::string type;      // "temp", "fan", "update_interval"
  int64_t number = 0;    // 0 when the name has no digits
  std::string property;  // "input", "crit_alarm", "" for "pwm1" or "vrm"
};
std::optional<HwmonFilename> ParseHwmonFilename(std::string_view name);

// True for the sensor types node_exporter reads (vrm, beep_enable, update_interval, in,
// cpu, fan, pwm, temp, curr, power, energy, humidity, intrusion).
bool IsHwmonSensorType(std::string_view type);

// node_exporter's cleanMetricName: lower case, every character outside [a-z0-9:_]
// (a whole UTF-8 sequence, or one invalid byte) becomes '_', then '_' trimmed at both ends.
std::string CleanHwmonName(std::string_view name);

// strconv.ParseFloat(s, 64): decimal or hexadecimal ("0x1p-2") with an optional sign,
// "inf", "infinity", "nan" in any case; nothing else, no surrounding space; out of range
// is an error.
std::optional<double> ParseGoFloat(std::string_view s);

// One chip: its node_exporter name, its human-readable name, and per sensor ("temp1")
// per property ("input", "" for "pwm1") the file's text (first 128 bytes, '\n' trimmed at
// both ends). Files that cannot be read are left out.
struct HwmonChip {
  std::string chip;                 // "platform_coretemp_0", "nvme_nvme0", "acpitz"
  std::optional<std::string> name;  // the cleaned "name" file, when readable and not empty
  std::map<std::string, std::map<std::string, std::string>> sensors;
  std::map<std::string, std::string> sensor_types;  // "temp1" -> "temp"
};

// Reads the chip in `dir` (/sys/class/hwmon/hwmon0). Fails as node_exporter's updateHwmon
// does: no name can be derived, or a directory cannot be listed.
Result<HwmonChip> ReadHwmonChip(FileCache& files, const std::string& dir);

// The chip name node_exporter derives: "<bus>_<device>" from the device link's target,
// else the cleaned name file, else the cleaned directory name.
Result<std::string> HwmonChipName(const std::string& dir);

}  // namespace vitals::procfs
