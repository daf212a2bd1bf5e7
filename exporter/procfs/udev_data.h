// /run/udev/data/b<major>:<minor>: udev's database of device properties ("E:KEY=VALUE").
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vitals::procfs {

using UdevProperties = std::vector<std::pair<std::string, std::string>>;

// Returns the E: properties; other record types are skipped, malformed lines ignored.
UdevProperties ParseUdevData(std::string_view text);

// Value of `key`, or empty.
std::string_view UdevProperty(const UdevProperties& properties, std::string_view key);

}  // namespace vitals::procfs
