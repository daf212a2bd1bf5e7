#include "procfs/meminfo.h"

#include <string>

#include "base/text.h"

namespace vitals::procfs {

Status ParseMeminfo(std::string_view text, std::vector<MeminfoEntry>& out) {
  out.clear();
  while (!text.empty()) {
    std::string_view rest = NextLine(text);
    if (Trim(rest).empty()) continue;
    const size_t colon = rest.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return Status::Fail("malformed meminfo line: " + std::string(rest));
    }
    MeminfoEntry entry;
    entry.key = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
    const auto value = ParseU64(NextField(rest));
    if (!value) return Status::Fail("bad value for meminfo key " + std::string(entry.key));
    const std::string_view unit = NextField(rest);
    if (!NextField(rest).empty()) {
      return Status::Fail("extra field for meminfo key " + std::string(entry.key));
    }
    if (unit == "kB") {
      if (*value > UINT64_MAX / 1024) {
        return Status::Fail("value out of range for meminfo key " + std::string(entry.key));
      }
      entry.value = *value * 1024;
      entry.has_unit = true;
    } else if (unit.empty()) {
      entry.value = *value;
    } else {
      return Status::Fail("unknown unit '" + std::string(unit) + "' for " + std::string(entry.key));
    }
    out.push_back(entry);
  }
  if (out.empty()) return Status::Fail("empty meminfo");
  return Status::Ok();
}

}  // namespace vitals::procfs
