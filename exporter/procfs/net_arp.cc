#include "procfs/net_arp.h"

#include <charconv>
#include <string>

#include "base/text.h"

namespace vitals::procfs {
namespace {

bool IsHexNumber(std::string_view s) {
  if (s.size() < 3 || s.size() > 10 || !StartsWith(s, "0x")) return false;
  s.remove_prefix(2);
  unsigned value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value, 16);
  return ec == std::errc() && ptr == s.data() + s.size();
}

Status Malformed(size_t line_number, std::string_view line, std::string_view why) {
  return Status::Fail("malformed arp line " + std::to_string(line_number) + " (" +
                      std::string(why) + "): '" + std::string(line) + "'");
}

}  // namespace

Status ParseArp(std::string_view text, std::vector<ArpEntry>& out) {
  out.clear();
  if (text.empty()) return Status::Fail("empty arp");
  if (!StartsWith(NextLine(text), "IP address")) {
    return Status::Fail("not an arp table: no 'IP address' header");
  }
  size_t line_number = 1;
  while (!text.empty()) {
    const std::string_view line = NextLine(text);
    ++line_number;
    std::string_view rest = line;
    std::string_view columns[6];
    for (auto& column : columns) column = NextField(rest);
    if (columns[5].empty()) return Malformed(line_number, line, "fewer than 6 columns");
    if (!NextField(rest).empty()) return Malformed(line_number, line, "more than 6 columns");
    if (!IsHexNumber(columns[1]) || !IsHexNumber(columns[2])) {
      return Malformed(line_number, line, "HW type or flags not 0x hex");
    }
    out.push_back({columns[0], columns[3], columns[5]});
  }
  return Status::Ok();
}

}  // namespace vitals::procfs
