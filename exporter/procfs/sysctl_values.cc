#include "procfs/sysctl_values.h"

#include "procfs/go_text.h"

namespace vitals::procfs {

std::vector<std::string> SysctlFields(std::string_view text) {
  const auto fields = GoFields(text.substr(0, kSysReadFileSize));
  return {fields.begin(), fields.end()};
}

std::string SysctlPath(std::string_view name) {
  std::string path = "sys/";
  path.append(name);
  for (size_t i = 4; i < path.size(); ++i) {
    if (path[i] == '.') path[i] = '/';
  }
  return path;
}

}  // namespace vitals::procfs
