#include "procfs/node_meminfo.h"

#include "procfs/file_reader.h"
#include "procfs/go_text.h"
#include "procfs/hwmon.h"

namespace vitals::procfs {
namespace {

// regexp `\((.*)\)` replaced by "_${1}": from the first '(' to the last ')'.
std::string CleanKey(std::string_view key) {
  while (!key.empty() && key.back() == ':') key.remove_suffix(1);
  const size_t open = key.find('(');
  const size_t close = key.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return std::string(key);
  }
  std::string out(key.substr(0, open));
  out += '_';
  out += key.substr(open + 1, close - open - 1);
  out += key.substr(close + 1);
  return out;
}

}  // namespace

Result<std::vector<NumaMemValue>> ParseNodeMeminfo(std::string_view text) {
  std::vector<NumaMemValue> out;
  for (const std::string_view raw : GoLineList(text)) {
    const std::string_view line = GoTrimSpace(raw);
    if (line.empty()) continue;
    const auto parts = GoFields(line);
    if (parts.size() < 4) {
      return Error{"line scan did not return at least 4 fields: " + std::string(line)};
    }
    auto value = ParseGoFloat(parts[3]);
    if (!value) return Error{"invalid value in meminfo: " + std::string(line)};
    if (parts.size() == 5 && parts[4] == "kB") {
      *value *= 1024;
    } else if (parts.size() != 4) {
      return Error{"invalid line in meminfo: " + std::string(line)};
    }
    out.push_back({CleanKey(parts[2]), std::string(parts[1]), *value});
  }
  return out;
}

Result<std::vector<NumaMemValue>> ParseNodeNumastat(std::string_view text, std::string_view node) {
  std::vector<NumaMemValue> out;
  for (const std::string_view raw : GoLineList(text)) {
    const std::string_view line = GoTrimSpace(raw);
    if (line.empty()) continue;
    const auto parts = GoFields(line);
    if (parts.size() != 2) return Error{"line scan did not return 2 fields: " + std::string(line)};
    const auto value = ParseGoFloat(parts[1]);
    if (!value) return Error{"invalid value in numastat: " + std::string(line)};
    out.push_back({std::string(parts[0]) + "_total", std::string(node), *value});
  }
  return out;
}

Result<std::vector<NumaNodeDir>> ListNumaNodes(const std::string& sysfs) {
  const std::string dir = JoinPath(sysfs, "devices/system/node");
  auto names = ListDirSorted(dir);
  if (!names.ok()) {
    if (names.failure().Vanished()) return std::vector<NumaNodeDir>{};
    return names.failure();
  }
  std::vector<NumaNodeDir> nodes;
  for (const std::string& name : *names) {
    // Glob "node[0-9]*"; the node label is the run of digits after "node".
    if (name.size() < 5 || !name.starts_with("node") || name[4] < '0' || name[4] > '9') continue;
    size_t end = 4;
    while (end < name.size() && name[end] >= '0' && name[end] <= '9') ++end;
    nodes.push_back({dir + "/" + name, name.substr(4, end - 4)});
  }
  return nodes;
}

}  // namespace vitals::procfs
