#include "procfs/class_scsi_tape.h"

namespace vitals::procfs {

bool IsTapeDevice(std::string_view name) {
  if (!name.starts_with("st") || name.size() == 2) return false;
  for (const char c : name.substr(2)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<uint64_t> ParseSysfsCounter(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  uint64_t base = 10;
  bool prefixed = false;  // A base prefix (or octal's leading 0) counts as a digit before '_'.
  if (text.size() >= 2 && text[0] == '0') {
    const char p = static_cast<char>(text[1] | 0x20);
    // Go takes "0x" as a prefix only with something after it.
    if (text.size() >= 3 && (p == 'x' || p == 'b' || p == 'o')) {
      base = p == 'x' ? 16 : p == 'b' ? 2 : 8;
      text.remove_prefix(2);
    } else {
      base = 8;
      text.remove_prefix(1);
    }
    prefixed = true;
  }
  uint64_t value = 0;
  bool last_digit = prefixed;
  bool any_digit = prefixed && base == 8;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '_') {
      // Go's underscoreOK: each '_' between digits (or after the prefix).
      if (!last_digit || i + 1 >= text.size() || text[i + 1] == '_') return std::nullopt;
      last_digit = false;
      continue;
    }
    const char lower = static_cast<char>(c | 0x20);
    uint64_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint64_t>(c - '0');
    } else if (lower >= 'a' && lower <= 'z') {
      digit = static_cast<uint64_t>(lower - 'a' + 10);
    } else {
      return std::nullopt;
    }
    if (digit >= base || value > (UINT64_MAX - digit) / base) return std::nullopt;
    value = value * base + digit;
    last_digit = true;
    any_digit = true;
  }
  if (!any_digit) return std::nullopt;
  return value;
}

ScsiTapeStats ReadScsiTape(FileCache& files, const std::string& dir, std::string name) {
  const std::string prefix = dir + "/" + name + "/stats/";
  constexpr size_t kSysReadSize = 128;  // util.SysReadFile's one read.
  const auto read = [&](const char* counter) -> std::optional<uint64_t> {
    const auto text = files.Read(prefix + counter);
    if (!text.ok()) return std::nullopt;
    return ParseSysfsCounter(text->substr(0, kSysReadSize));
  };
  ScsiTapeStats tape;
  tape.name = std::move(name);
  tape.in_flight = read("in_flight");
  tape.io_ns = read("io_ns");
  tape.other_cnt = read("other_cnt");
  tape.read_byte_cnt = read("read_byte_cnt");
  tape.read_cnt = read("read_cnt");
  tape.read_ns = read("read_ns");
  tape.resid_cnt = read("resid_cnt");
  tape.write_byte_cnt = read("write_byte_cnt");
  tape.write_cnt = read("write_cnt");
  tape.write_ns = read("write_ns");
  return tape;
}

}  // namespace vitals::procfs
