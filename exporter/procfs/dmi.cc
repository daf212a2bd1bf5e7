#include "procfs/dmi.h"

#include <dirent.h>
#include <sys/stat.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "procfs/file_reader.h"
#include "procfs/thermal.h"

namespace vitals::procfs {
namespace {

constexpr auto kLabels = std::to_array<std::pair<std::string_view, std::string_view>>({
    {"bios_date", "bios_date"},
    {"bios_release", "bios_release"},
    {"bios_vendor", "bios_vendor"},
    {"bios_version", "bios_version"},
    {"board_asset_tag", "board_asset_tag"},
    {"board_name", "board_name"},
    {"board_serial", "board_serial"},
    {"board_vendor", "board_vendor"},
    {"board_version", "board_version"},
    {"chassis_asset_tag", "chassis_asset_tag"},
    {"chassis_serial", "chassis_serial"},
    {"chassis_vendor", "chassis_vendor"},
    {"chassis_version", "chassis_version"},
    {"product_family", "product_family"},
    {"product_name", "product_name"},
    {"product_serial", "product_serial"},
    {"product_sku", "product_sku"},
    {"product_uuid", "product_uuid"},
    {"product_version", "product_version"},
    {"sys_vendor", "system_vendor"},
});

}  // namespace

std::string_view DmiLabel(std::string_view file) {
  for (const auto& [name, label] : kLabels) {
    if (name == file) return label;
  }
  return {};
}

Result<std::map<std::string, std::string>> ReadDmi(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return Error{"open " + dir + ": " + std::strerror(errno), errno};
  std::vector<std::string> files;
  while (const dirent* entry = readdir(d)) {
    bool regular = entry->d_type == DT_REG;
    if (entry->d_type == DT_UNKNOWN) {
      struct stat st {};
      regular = lstat((dir + "/" + entry->d_name).c_str(), &st) == 0 && S_ISREG(st.st_mode);
    }
    if (regular) files.emplace_back(entry->d_name);
  }
  closedir(d);
  std::map<std::string, std::string> out;
  for (const auto& file : files) {
    if (file == "modalias" || file == "uevent") continue;
    const auto text = ReadSmallFile(dir + "/" + file);
    if (!text.ok()) {
      if (text.failure().Denied()) continue;  // only root reads serials and the UUID
      return text.failure();
    }
    const std::string_view label = DmiLabel(file);
    if (!label.empty()) out[std::string(label)] = std::string(SysfsTrim(*text));
  }
  return out;
}

}  // namespace vitals::procfs
