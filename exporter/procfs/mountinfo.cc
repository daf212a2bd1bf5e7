#include "procfs/mountinfo.h"

#include "base/text.h"

namespace vitals::procfs {
namespace {

bool HasOption(std::string_view options, std::string_view wanted) {
  while (!options.empty()) {
    const size_t comma = options.find(',');
    if (options.substr(0, comma) == wanted) return true;
    if (comma == std::string_view::npos) break;
    options.remove_prefix(comma + 1);
  }
  return false;
}

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

}  // namespace

std::string UnescapeOctal(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    // Only \000..\377 is a byte; anything else stays as written.
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' &&
        IsOctal(s[i + 2]) && IsOctal(s[i + 3])) {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

// "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue"
Status ParseMountinfo(std::string_view text, std::vector<MountInfo>& out) {
  out.clear();
  while (!text.empty()) {
    std::string_view rest = NextLine(text);
    if (Trim(rest).empty()) continue;
    std::string_view fields[6];
    for (auto& field : fields) field = NextField(rest);
    if (fields[5].empty()) return Status::Fail("malformed mountinfo line: too few fields");
    // Optional fields end at a lone "-".
    std::string_view token = NextField(rest);
    while (!token.empty() && token != "-") token = NextField(rest);
    if (token != "-") return Status::Fail("malformed mountinfo line: no separator");
    MountInfo mount;
    mount.fs_type = std::string(NextField(rest));
    mount.source = UnescapeOctal(NextField(rest));
    const std::string_view super_options = NextField(rest);
    if (mount.fs_type.empty() || mount.source.empty()) {
      return Status::Fail("malformed mountinfo line: missing fstype or source");
    }
    mount.mount_point = UnescapeOctal(fields[4]);
    mount.read_only = HasOption(fields[5], "ro") || HasOption(super_options, "ro");
    out.push_back(std::move(mount));
  }
  return Status::Ok();
}

}  // namespace vitals::procfs
