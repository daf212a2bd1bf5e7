#include "procfs/cpufreq.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/text.h"

namespace vitals::procfs {
namespace {

// A number file: absent when missing or forbidden, an error otherwise.
Result<std::optional<uint64_t>> ReadNumber(FileCache& files, const std::string& path) {
  const auto text = files.Read(path);
  if (!text.ok()) {
    if (text.failure().Vanished() || text.failure().Denied()) return std::optional<uint64_t>();
    return text.failure();
  }
  const auto value = ParseCpufreqUint(*text);
  if (!value) {
    return Error{path + ": not an unsigned number: '" +
                 std::string(TrimGoSpace(*text).substr(0, 40)) + "'"};
  }
  return std::optional<uint64_t>(*value);
}

// A text file: SysReadFile's single 128-byte read, trimmed; any error fails.
Result<std::string> ReadText(FileCache& files, const std::string& path) {
  const auto text = files.Read(path);
  if (!text.ok()) return text.failure();
  constexpr size_t kSysReadSize = 128;
  return std::string(TrimGoSpace(text->substr(0, kSysReadSize)));
}

}  // namespace

std::optional<uint64_t> ParseCpufreqUint(std::string_view s) { return ParseU64(TrimGoSpace(s)); }

std::vector<std::string> ListCpuDirs(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return names;
  while (const dirent* entry = readdir(d)) {
    const std::string_view name = entry->d_name;
    if (name.size() >= 4 && name.starts_with("cpu") && name[3] >= '0' && name[3] <= '9') {
      names.emplace_back(name);
    }
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::optional<Cpufreq>> ReadCpufreq(FileCache& files, const std::string& dir,
                                           const std::string& name) {
  const std::string cpufreq = dir + "/" + name + "/cpufreq";
  struct stat st {};
  if (stat(cpufreq.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::optional<Cpufreq>();
    return Error{"stat " + cpufreq + ": " + std::strerror(errno), errno};
  }
  Cpufreq out;
  out.cpu = name.substr(3);
  const std::pair<const char*, std::optional<uint64_t>*> numbers[] = {
      {"cpuinfo_cur_freq", &out.cpuinfo_cur_khz},
      {"cpuinfo_max_freq", &out.cpuinfo_max_khz},
      {"cpuinfo_min_freq", &out.cpuinfo_min_khz},
      {"cpuinfo_transition_latency", &out.cpuinfo_transition_latency_ns},
      {"scaling_cur_freq", &out.scaling_cur_khz},
      {"scaling_max_freq", &out.scaling_max_khz},
      {"scaling_min_freq", &out.scaling_min_khz},
  };
  for (const auto& [file, field] : numbers) {
    auto value = ReadNumber(files, cpufreq + "/" + file);
    if (!value.ok()) return value.failure();
    *field = *value;
  }
  const std::pair<const char*, std::string*> texts[] = {
      {"scaling_available_governors", &out.available_governors},
      {"scaling_driver", &out.driver},
      {"scaling_governor", &out.governor},
      {"related_cpus", &out.related_cpus},
      {"scaling_setspeed", &out.setspeed},
  };
  for (const auto& [file, field] : texts) {
    auto value = ReadText(files, cpufreq + "/" + file);
    if (!value.ok()) return value.failure();
    *field = std::move(*value);
  }
  return std::optional<Cpufreq>(std::move(out));
}

}  // namespace vitals::procfs
