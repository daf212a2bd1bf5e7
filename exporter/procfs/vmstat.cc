#include "procfs/vmstat.h"

#include <string>

#include "base/text.h"

namespace vitals::procfs {
namespace {

bool ValidName(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    const bool valid =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!valid) return false;
  }
  return true;
}

Status Malformed(size_t line_number, std::string_view line, std::string_view why) {
  return Status::Fail("malformed vmstat line " + std::to_string(line_number) + " (" +
                      std::string(why) + "): '" + std::string(line) + "'");
}

}  // namespace

Status ParseVmstat(std::string_view text, std::vector<VmstatEntry>& out) {
  out.clear();
  if (text.empty()) return Status::Fail("empty vmstat");
  size_t line_number = 0;
  while (!text.empty()) {
    const std::string_view line = NextLine(text);
    ++line_number;
    std::string_view rest = line;
    const std::string_view name = NextField(rest);
    const std::string_view value_text = NextField(rest);
    if (name.empty()) return Malformed(line_number, line, "no field name");
    if (!ValidName(name)) return Malformed(line_number, line, "invalid field name");
    if (value_text.empty()) return Malformed(line_number, line, "no value");
    if (!NextField(rest).empty()) return Malformed(line_number, line, "extra field");
    const auto value = ParseU64(value_text);
    if (!value) return Malformed(line_number, line, "value is not an unsigned 64-bit integer");
    out.push_back({name, *value});
  }
  return Status::Ok();
}

}  // namespace vitals::procfs
