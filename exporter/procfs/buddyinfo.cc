#include "procfs/buddyinfo.h"

#include "procfs/go_text.h"
#include "procfs/hwmon.h"

namespace vitals::procfs {
namespace {

std::string_view TrimRightCommas(std::string_view s) {
  while (!s.empty() && s.back() == ',') s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::vector<BuddyZone>> ParseBuddyinfo(std::string_view text) {
  std::vector<BuddyZone> zones;
  GoLines lines(text);
  std::string_view line;
  size_t buckets = 0;
  while (lines.Next(line)) {
    const auto parts = GoFields(line);
    if (parts.size() < 4) return Error{"invalid number of fields when parsing buddyinfo"};
    if (!zones.empty() && parts.size() - 4 != buckets) {
      return Error{"mismatch in number of buddyinfo buckets, previous count " +
                   std::to_string(buckets) + ", new count " + std::to_string(parts.size() - 4)};
    }
    buckets = parts.size() - 4;
    BuddyZone zone{
        std::string(TrimRightCommas(parts[1])), std::string(TrimRightCommas(parts[3])), {}};
    for (size_t i = 4; i < parts.size(); ++i) {
      const auto value = ParseGoFloat(parts[i]);
      if (!value) return Error{"invalid value in buddyinfo: \"" + std::string(parts[i]) + "\""};
      zone.sizes.push_back(*value);
    }
    zones.push_back(std::move(zone));
  }
  if (lines.too_long()) return Error{"buddyinfo: line too long"};
  return zones;
}

}  // namespace vitals::procfs
