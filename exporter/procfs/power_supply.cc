#include "procfs/power_supply.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "procfs/class_net.h"
#include "procfs/thermal.h"

namespace vitals::procfs {
namespace {

constexpr auto kNumbers = std::to_array<std::string_view>({
    "authentic",
    "calibrate",
    "capacity",
    "capacity_alert_max",
    "capacity_alert_min",
    "charge_avg",
    "charge_control_limit",
    "charge_control_limit_max",
    "charge_counter",
    "charge_empty",
    "charge_empty_design",
    "charge_full",
    "charge_full_design",
    "charge_now",
    "charge_term_current",
    "constant_charge_current",
    "constant_charge_current_max",
    "constant_charge_voltage",
    "constant_charge_voltage_max",
    "current_avg",
    "current_boot",
    "current_max",
    "current_now",
    "cycle_count",
    "energy_avg",
    "energy_empty",
    "energy_empty_design",
    "energy_full",
    "energy_full_design",
    "energy_now",
    "input_current_limit",
    "online",
    "power_avg",
    "power_now",
    "precharge_current",
    "present",
    "temp",
    "temp_alert_max",
    "temp_alert_min",
    "temp_ambient",
    "temp_ambient_max",
    "temp_ambient_min",
    "temp_max",
    "temp_min",
    "time_to_empty_avg",
    "time_to_empty_now",
    "time_to_full_avg",
    "time_to_full_now",
    "voltage_avg",
    "voltage_boot",
    "voltage_max",
    "voltage_max_design",
    "voltage_min",
    "voltage_min_design",
    "voltage_now",
    "voltage_ocv",
});

constexpr auto kTexts = std::to_array<std::string_view>({
    "capacity_level",
    "charge_type",
    "health",
    "manufacturer",
    "model_name",
    "scope",
    "serial_number",
    "status",
    "technology",
    "type",
    "usb_type",
});

// Read errors prometheus/procfs skips: the attribute is not there or not supported.
bool Skipped(int sys_errno) {
  return sys_errno == ENOENT || sys_errno == EOPNOTSUPP || sys_errno == EINVAL;
}

}  // namespace

bool IsPowerSupplyNumber(std::string_view file) {
  return std::find(kNumbers.begin(), kNumbers.end(), file) != kNumbers.end();
}

bool IsPowerSupplyText(std::string_view file) {
  return std::find(kTexts.begin(), kTexts.end(), file) != kTexts.end();
}

Result<std::vector<std::string>> ListPowerSupplies(const std::string& dir) {
  return ListDirSorted(dir);
}

Result<PowerSupply> ReadPowerSupply(FileCache& files, const std::string& dir,
                                    const std::string& name) {
  const std::string path = dir + "/" + name;
  DIR* d = opendir(path.c_str());
  if (d == nullptr) return Error{"open " + path + ": " + std::strerror(errno), errno};
  std::vector<std::string> regular;
  while (const dirent* entry = readdir(d)) {
    // Only regular files, as os.ReadDir's entry type says (links and directories not).
    bool is_regular = entry->d_type == DT_REG;
    if (entry->d_type == DT_UNKNOWN) {
      struct stat st {};
      is_regular = lstat((path + "/" + entry->d_name).c_str(), &st) == 0 && S_ISREG(st.st_mode);
    }
    if (is_regular) regular.emplace_back(entry->d_name);
  }
  closedir(d);
  std::sort(regular.begin(), regular.end());
  PowerSupply out;
  out.name = name;
  for (const auto& file : regular) {
    const bool number = IsPowerSupplyNumber(file);
    if (!number && !IsPowerSupplyText(file)) continue;
    const std::string file_path = path + "/" + file;
    const auto text = files.Read(file_path);
    if (!text.ok()) {
      if (!Skipped(text.failure().sys_errno)) out.errors.push_back(text.error());
      continue;
    }
    const std::string_view value = SysfsTrim(*text);
    if (!number) {
      out.texts[file] = std::string(value);
    } else if (const auto parsed = ParseSysfsInt(value)) {
      out.numbers[file] = *parsed;
    } else {
      out.errors.push_back(file_path + ": not an integer: '" + std::string(value.substr(0, 40)) +
                           "'");
    }
  }
  return out;
}

}  // namespace vitals::procfs
