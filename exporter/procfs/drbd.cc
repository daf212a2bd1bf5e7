#include "procfs/drbd.h"

#include "procfs/go_text.h"
#include "procfs/hwmon.h"

namespace vitals::procfs {

bool IsDrbdNumericKey(std::string_view key) {
  for (const std::string_view known :
       {"ns", "nr", "dw", "dr", "al", "bm", "lo", "pe", "ua", "ap", "ep", "oos"}) {
    if (key == known) return true;
  }
  return false;
}

DrbdStatus ParseDrbd(std::string_view text) {
  DrbdStatus status;
  std::string device = "unknown";
  for (const std::string_view word : GoFields(text)) {
    const size_t colon = word.find(':');
    if (colon == std::string_view::npos || word.find(':', colon + 1) != std::string_view::npos) {
      continue;  // strings.Split(word, ":") must give exactly two parts.
    }
    const std::string_view key = word.substr(0, colon);
    const std::string_view value = word.substr(colon + 1);
    if (value.empty()) {
      if (const auto id = ParseGoUint10(key)) {
        device = "drbd" + std::to_string(*id);
        continue;
      }
    }
    DrbdValue out;
    out.device = device;
    out.key = std::string(key);
    if (IsDrbdNumericKey(key)) {
      const auto number = ParseGoFloat(value);
      if (!number) {
        status.error = "strconv.ParseFloat: parsing \"" + std::string(value) + "\": invalid syntax";
        return status;
      }
      out.number = *number;
    } else if (key == "ro" || key == "ds") {
      const size_t slash = value.find('/');
      out.local = std::string(value.substr(0, slash));
      if (slash != std::string_view::npos) {
        const std::string_view rest = value.substr(slash + 1);
        out.remote = std::string(rest.substr(0, rest.find('/')));
      }
    } else if (key == "cs") {
      out.local = std::string(value);
    } else {
      continue;
    }
    status.values.push_back(std::move(out));
  }
  return status;
}

}  // namespace vitals::procfs
