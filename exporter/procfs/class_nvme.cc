#include "procfs/class_nvme.h"

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "base/text.h"

namespace vitals::procfs {

Result<std::vector<std::string>> ListClassDir(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return Error{"open " + dir + ": " + std::strerror(errno), errno};
  std::vector<std::string> names;
  while (const dirent* entry = readdir(d)) {
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    names.emplace_back(name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

std::optional<std::string> ReadSysAttribute(FileCache& files, const std::string& path) {
  constexpr size_t kSysReadSize = 128;
  const auto text = files.Read(path);
  if (!text.ok()) return std::nullopt;
  // Go's bytes.TrimSpace: ASCII white space here (attributes are ASCII).
  std::string_view value = text->substr(0, kSysReadSize);
  const auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!value.empty() && space(value.front())) value.remove_prefix(1);
  while (!value.empty() && space(value.back())) value.remove_suffix(1);
  return std::string(value);
}

NvmeDevice ReadNvmeDevice(FileCache& files, const std::string& dir, std::string name) {
  const std::string prefix = dir + "/" + name + "/";
  const auto read = [&](const char* attribute) {
    return ReadSysAttribute(files, prefix + attribute).value_or("");
  };
  NvmeDevice device;
  device.name = std::move(name);
  device.firmware_revision = read("firmware_rev");
  device.model = read("model");
  device.serial = read("serial");
  device.state = read("state");
  return device;
}

}  // namespace vitals::procfs
