#include "procfs/powercap.h"

#include <charconv>
#include <map>

#include "base/text.h"
#include "procfs/hwmon.h"
#include "procfs/thermal.h"

namespace vitals::procfs {
namespace {

bool IsMetricNameChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

}  // namespace

std::string GoCleanPath(std::string_view path) {
  if (path.empty()) return ".";
  const bool rooted = path[0] == '/';
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == ".") {
      // skipped
    } else if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back(part);
      }
    } else {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out = rooted ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '/';
    out.append(parts[i]);
  }
  return out.empty() ? "." : out;
}

std::string SanitizeMetricName(std::string_view name) {
  std::string out;
  size_t i = 0;
  while (i < name.size()) {
    size_t j = i;
    while (j < name.size() && name[j] == '_') ++j;
    if (j < name.size() && !IsMetricNameChar(name[j])) {
      while (j < name.size() && !IsMetricNameChar(name[j])) ++j;
      while (j < name.size() && name[j] == '_') ++j;
      out += '_';
      i = j;
    } else {
      out += name[i++];
    }
  }
  return out;
}

Result<uint64_t> ReadSysfsUint(FileCache& files, const std::string& path) {
  const auto text = files.Read(path);
  if (!text.ok()) return text.failure();
  const auto value = ParseU64(TrimGoSpace(*text));
  if (!value) return Error{path + ": not an unsigned integer", EINVAL};
  return *value;
}

Result<std::vector<RaplZone>> ReadRaplZones(FileCache& files, const std::string& dir) {
  const auto entries = ListDirSorted(dir);
  if (!entries.ok()) return entries.failure();
  const std::string clean_dir = GoCleanPath(dir);
  std::vector<RaplZone> zones;
  std::map<std::string, int64_t> name_usages;
  for (const auto& entry : *entries) {
    const auto name_text = files.Read(dir + "/" + entry + "/name");
    if (!name_text.ok()) continue;  // not a zone (intel-rapl itself, a control type)
    RaplZone zone;
    zone.name = std::string(TrimGoSpace(*name_text));
    // "package-0": index 0, name "package"; else the count of zones named so before.
    const size_t dash = zone.name.find('-');
    std::optional<int64_t> index;
    if (dash != std::string::npos && zone.name.find('-', dash + 1) == std::string::npos) {
      index = ParseGoInt(std::string_view(zone.name).substr(dash + 1));
    }
    if (index) {
      zone.index = *index;
      zone.name.resize(dash);
    } else {
      zone.index = name_usages[zone.name];
    }
    const auto max = ReadSysfsUint(files, dir + "/" + entry + "/max_energy_range_uj");
    if (!max.ok()) return max.failure();
    zone.max_microjoules = *max;
    zone.path = GoCleanPath(clean_dir + "/" + entry);
    name_usages[zone.name] = zone.index + 1;
    zones.push_back(std::move(zone));
  }
  return zones;
}

}  // namespace vitals::procfs
