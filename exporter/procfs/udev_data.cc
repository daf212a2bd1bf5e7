#include "procfs/udev_data.h"

#include "base/text.h"

namespace vitals::procfs {

UdevProperties ParseUdevData(std::string_view text) {
  UdevProperties properties;
  while (!text.empty()) {
    std::string_view line = NextLine(text);
    if (!StartsWith(line, "E:")) continue;
    line.remove_prefix(2);
    const size_t equals = line.find('=');
    if (equals == std::string_view::npos || equals == 0) continue;
    properties.emplace_back(std::string(line.substr(0, equals)),
                            std::string(line.substr(equals + 1)));
  }
  return properties;
}

std::string_view UdevProperty(const UdevProperties& properties, std::string_view key) {
  for (const auto& [name, value] : properties) {
    if (name == key) return value;
  }
  return {};
}

}  // namespace vitals::procfs
