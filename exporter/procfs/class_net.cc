#include "procfs/class_net.h"

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/text.h"

namespace vitals::procfs {

Result<std::vector<std::string>> ListNetClass(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return Error{"open " + dir + ": " + std::strerror(errno), errno};
  std::vector<std::string> names;
  while (const dirent* entry = readdir(d)) {
    if (entry->d_name[0] != '.') names.emplace_back(entry->d_name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

NetClassIface ReadNetClassIface(FileCache& files, const std::string& dir, std::string name) {
  const std::string prefix = dir + "/" + name + "/";
  auto read = [&](const char* attribute) {
    return std::string(files.ReadTrimmed(prefix + attribute));
  };
  NetClassIface iface;
  iface.name = std::move(name);
  iface.operstate = read("operstate");
  iface.address = read("address");
  iface.broadcast = read("broadcast");
  iface.duplex = read("duplex");
  iface.ifalias = read("ifalias");
  iface.mtu = ParseI64(read("mtu"));
  iface.speed = ParseI64(read("speed"));
  return iface;
}

}  // namespace vitals::procfs
