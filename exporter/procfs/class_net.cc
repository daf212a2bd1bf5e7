#include "procfs/class_net.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/text.h"

namespace vitals::procfs {

std::optional<int64_t> ParseSysfsInt(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  int base = 10;
  bool prefixed = false;  // A base prefix (or octal's leading 0) counts as a digit before '_'.
  if (s.size() >= 2 && s[0] == '0') {
    const char p = static_cast<char>(s[1] | 0x20);
    // Go takes "0x" as a prefix only with something after it: "0x" alone is octal "x".
    if (s.size() >= 3 && (p == 'x' || p == 'b' || p == 'o')) {
      base = p == 'x' ? 16 : p == 'b' ? 2 : 8;
      s.remove_prefix(2);
      prefixed = true;
    } else {
      base = 8;
      s.remove_prefix(1);
      prefixed = true;
    }
  }
  // Go's underscoreOK: each '_' follows a digit (or the prefix) and precedes a digit.
  uint64_t magnitude = 0;
  bool last_digit = prefixed;
  bool any_digit = prefixed && base == 8;
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '_') {
      if (!last_digit || i + 1 >= s.size() || s[i + 1] == '_') return std::nullopt;
      last_digit = false;
      continue;
    }
    int digit = 0;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'z') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'Z') {
      digit = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    if (digit >= base) return std::nullopt;
    if (magnitude > (limit - static_cast<uint64_t>(digit)) / static_cast<uint64_t>(base)) {
      return std::nullopt;
    }
    magnitude = magnitude * static_cast<uint64_t>(base) + static_cast<uint64_t>(digit);
    last_digit = true;
    any_digit = true;
  }
  if (!any_digit) return std::nullopt;
  if (negative)
    return magnitude == (uint64_t{1} << 63) ? INT64_MIN : -static_cast<int64_t>(magnitude);
  return static_cast<int64_t>(magnitude);
}

Result<std::vector<std::string>> ListNetClass(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return Error{"open " + dir + ": " + std::strerror(errno), errno};
  std::vector<std::string> names;
  while (const dirent* entry = readdir(d)) {
    if (entry->d_name[0] == '.') continue;
    bool regular = entry->d_type == DT_REG;
    if (entry->d_type == DT_UNKNOWN) {
      struct stat st {};
      regular =
          fstatat(dirfd(d), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
    }
    if (!regular) names.emplace_back(entry->d_name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

NetClassIface ReadNetClassIface(FileCache& files, const std::string& dir, std::string name) {
  const std::string prefix = dir + "/" + name + "/";
  // prometheus/procfs reads each attribute with one 128-byte read(2), then trims it.
  constexpr size_t kSysReadSize = 128;
  auto content = [&](const char* attribute) -> std::optional<std::string_view> {
    const auto text = files.Read(prefix + attribute);
    if (!text.ok()) return std::nullopt;
    return Trim(text->substr(0, kSysReadSize));
  };
  auto read = [&](const char* attribute) { return std::string(content(attribute).value_or("")); };
  // A readable attribute that is not a number is 0: procfs's ValueParser.PInt64 returns
  // a pointer to the failed parse's 0.
  auto number = [&](const char* attribute) -> std::optional<int64_t> {
    const auto text = content(attribute);
    if (!text) return std::nullopt;
    return ParseSysfsInt(*text).value_or(0);
  };
  NetClassIface iface;
  iface.name = std::move(name);
  iface.operstate = read("operstate");
  iface.address = read("address");
  iface.broadcast = read("broadcast");
  iface.duplex = read("duplex");
  iface.ifalias = read("ifalias");
  iface.addr_assign_type = number("addr_assign_type");
  iface.carrier = number("carrier");
  iface.carrier_changes = number("carrier_changes");
  iface.carrier_up_count = number("carrier_up_count");
  iface.carrier_down_count = number("carrier_down_count");
  iface.dev_id = number("dev_id");
  iface.dormant = number("dormant");
  iface.flags = number("flags");
  iface.ifindex = number("ifindex");
  iface.iflink = number("iflink");
  iface.link_mode = number("link_mode");
  iface.mtu = number("mtu");
  iface.name_assign_type = number("name_assign_type");
  iface.netdev_group = number("netdev_group");
  iface.speed = number("speed");
  iface.tx_queue_len = number("tx_queue_len");
  iface.type = number("type");
  return iface;
}

}  // namespace vitals::procfs
