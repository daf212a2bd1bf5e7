#include "procfs/thermal.h"

#include <dirent.h>

#include <algorithm>
#include <charconv>

#include "base/text.h"

namespace vitals::procfs {
namespace {

Result<std::string> SysReadFile(FileCache& files, const std::string& path) {
  const auto text = files.Read(path);
  if (!text.ok()) return text.failure();
  return std::string(SysfsTrim(*text));
}

Error NotANumber(const std::string& path, std::string_view text) {
  return Error{path + ": not an integer: '" + std::string(text.substr(0, 40)) + "'", EINVAL};
}

}  // namespace

std::vector<std::string> GlobNumbered(const std::string& dir, std::string_view prefix) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return names;
  while (const dirent* entry = readdir(d)) {
    const std::string_view name = entry->d_name;
    if (name.size() > prefix.size() && name.starts_with(prefix) && name[prefix.size()] >= '0' &&
        name[prefix.size()] <= '9') {
      names.emplace_back(name);
    }
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

std::string_view SysfsTrim(std::string_view content) {
  constexpr size_t kSysReadSize = 128;
  return TrimGoSpace(content.substr(0, kSysReadSize));
}

std::optional<int64_t> ParseGoInt(std::string_view s) {
  if (!s.empty() && s[0] == '+') {
    s.remove_prefix(1);
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) return std::nullopt;  // one sign only
  }
  if (s.empty() || (s[0] == '-' && s.size() == 1)) return std::nullopt;
  int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

Result<ThermalZone> ReadThermalZone(FileCache& files, const std::string& dir,
                                    const std::string& entry) {
  const std::string zone = dir + "/" + entry;
  ThermalZone out;
  out.name = entry.substr(std::string_view("thermal_zone").size());
  auto type = SysReadFile(files, zone + "/type");
  if (!type.ok()) return type.failure();
  out.type = std::move(*type);
  if (auto policy = SysReadFile(files, zone + "/policy"); !policy.ok()) return policy.failure();
  // util.ReadIntFromFile: the whole file, TrimSpace, ParseInt.
  const auto temp = files.Read(zone + "/temp");
  if (!temp.ok()) return temp.failure();
  const auto value = ParseGoInt(TrimGoSpace(*temp));
  if (!value) return NotANumber(zone + "/temp", *temp);
  out.temp_millicelsius = *value;
  if (const auto mode = files.Read(zone + "/mode"); !mode.ok()) {
    if (!mode.failure().Vanished() && !mode.failure().Denied()) return mode.failure();
  }
  if (const auto passive = files.Read(zone + "/passive"); !passive.ok()) {
    if (!passive.failure().Vanished() && !passive.failure().Denied()) return passive.failure();
  } else {
    const std::string_view trimmed = TrimGoSpace(*passive);
    if (!ParseU64(trimmed)) {  // strconv.ParseUint
      return NotANumber(zone + "/passive", trimmed);
    }
  }
  return out;
}

Result<CoolingDevice> ReadCoolingDevice(FileCache& files, const std::string& dir,
                                        const std::string& entry) {
  const std::string device = dir + "/" + entry;
  CoolingDevice out;
  out.name = entry.substr(std::string_view("cooling_device").size());
  auto type = SysReadFile(files, device + "/type");
  if (!type.ok()) return type.failure();
  out.type = std::move(*type);
  const std::pair<const char*, int64_t*> states[] = {{"max_state", &out.max_state},
                                                     {"cur_state", &out.cur_state}};
  for (const auto& [file, field] : states) {
    const auto text = SysReadFile(files, device + "/" + file);
    if (!text.ok()) return text.failure();
    const auto value = ParseGoInt(*text);
    if (!value) return NotANumber(device + "/" + file, *text);
    *field = *value;
  }
  return out;
}

}  // namespace vitals::procfs
