// How Go's standard library splits and reads the /proc text that node_exporter and
// prometheus/procfs parse: bufio.Scanner lines, strings.Fields, strconv.ParseInt.
// Shared by the readers of node_exporter's off-by-default collectors (meminfo_numa,
// zoneinfo, slabinfo, drbd, mountstats), so vitals splits the same malformed text the
// same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "procfs/class_scsi_tape.h"

namespace vitals::procfs {

// Go's ASCII white space (unicode.IsSpace below 0x80).
inline bool IsGoSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// bufio.ScanLines: lines split at '\n', a trailing '\r' dropped, no empty last line.
inline std::vector<std::string_view> GoLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
  }
  return lines;
}

// strings.Fields for ASCII text.
inline std::vector<std::string_view> GoFields(std::string_view text) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsGoSpace(text[i])) ++i;
    const size_t start = i;
    while (i < text.size() && !IsGoSpace(text[i])) ++i;
    if (i > start) fields.push_back(text.substr(start, i - start));
  }
  return fields;
}

// strings.TrimSpace for ASCII text.
inline std::string_view GoTrimSpace(std::string_view s) {
  while (!s.empty() && IsGoSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsGoSpace(s.back())) s.remove_suffix(1);
  return s;
}

// strconv.ParseUint(s, 10, 64): decimal digits only.
inline std::optional<uint64_t> ParseGoUint10(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t value = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

// strconv.ParseInt(s, base, 64) for base 10 or 0 (0: Go's prefixes 0x, 0o, 0b, 0 and
// underscores, as ValueParser.PInt64 reads); an optional sign.
inline std::optional<int64_t> ParseGoInt(std::string_view s, int base) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  // ParseSysfsCounter trims white space, which ParseInt refuses.
  if (s.empty() || IsGoSpace(s.front()) || IsGoSpace(s.back())) return std::nullopt;
  const auto magnitude = base == 0 ? ParseSysfsCounter(s) : ParseGoUint10(s);
  if (!magnitude) return std::nullopt;
  constexpr uint64_t kLimit = uint64_t{1} << 63;
  if (negative) {
    if (*magnitude > kLimit) return std::nullopt;
    return static_cast<int64_t>(0 - *magnitude);
  }
  if (*magnitude >= kLimit) return std::nullopt;
  return static_cast<int64_t>(*magnitude);
}

}  // namespace vitals::procfs
