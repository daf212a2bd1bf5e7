#include "procfs/pid_cgroup.h"

#include "base/text.h"

namespace vitals::procfs {

Result<std::vector<std::string>> ParsePidCgroupPaths(std::string_view text) {
  std::vector<std::string> paths;
  while (!text.empty()) {
    const std::string_view line = NextLine(text);
    if (line.empty()) continue;
    const size_t first = line.find(':');
    const size_t second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second == std::string_view::npos) {
      return Error{"malformed cgroup line '" + std::string(line) + "'"};
    }
    paths.emplace_back(line.substr(second + 1));
  }
  return paths;
}

}  // namespace vitals::procfs
