#include "procfs/clocksource.h"

#include <dirent.h>

#include <algorithm>
#include <string_view>

#include "base/text.h"

namespace vitals::procfs {
namespace {

constexpr std::string_view kPrefix = "clocksource";

std::vector<std::string> ListClocksources(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (const dirent* entry = readdir(d)) {
      if (StartsWith(entry->d_name, kPrefix)) names.emplace_back(entry->d_name);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

std::vector<Clocksource> ReadClocksources(FileCache& files, const std::string& dir) {
  std::vector<Clocksource> sources;
  for (const auto& name : ListClocksources(dir)) {
    Clocksource& source = sources.emplace_back();
    source.device = name.substr(kPrefix.size());
    const std::string prefix = dir + "/" + name + "/";
    std::string_view available = files.ReadTrimmed(prefix + "available_clocksource");
    for (auto field = NextField(available); !field.empty(); field = NextField(available)) {
      source.available.emplace_back(field);
    }
    source.current = std::string(files.ReadTrimmed(prefix + "current_clocksource"));
  }
  return sources;
}

}  // namespace vitals::procfs
