#include "procfs/diskstats.h"

#include <string>

#include "base/text.h"

namespace vitals::procfs {

Status ParseDiskstats(std::string_view text, std::vector<DiskStats>& out) {
  out.clear();
  while (!text.empty()) {
    std::string_view rest = NextLine(text);
    if (Trim(rest).empty()) continue;
    DiskStats disk;
    const auto major = ParseU64(NextField(rest));
    const auto minor = ParseU64(NextField(rest));
    disk.device = NextField(rest);
    if (!major || !minor || *major > UINT32_MAX || *minor > UINT32_MAX || disk.device.empty()) {
      return Status::Fail("malformed diskstats line: " + std::string(Trim(rest)));
    }
    disk.major = static_cast<uint32_t>(*major);
    disk.minor = static_cast<uint32_t>(*minor);
    for (std::string_view token = NextField(rest); !token.empty(); token = NextField(rest)) {
      if (disk.field_count == static_cast<int>(disk.fields.size())) break;
      const auto value = ParseU64(token);
      if (!value) return Status::Fail("bad counter for disk " + std::string(disk.device));
      disk.fields[disk.field_count++] = *value;
    }
    if (disk.field_count < 11) {
      return Status::Fail("too few counters for disk " + std::string(disk.device));
    }
    out.push_back(disk);
  }
  return Status::Ok();
}

}  // namespace vitals::procfs
