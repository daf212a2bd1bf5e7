#include "procfs/go_text.h"

#include <limits>

#include "base/text.h"
#include "procfs/class_scsi_tape.h"

namespace vitals::procfs {
namespace {

// ParseSysfsCounter is Go's ParseUint(s, 0, 64) after a TrimSpace this must not do.
std::optional<uint64_t> ParseBase0(std::string_view s) {
  if (s.empty() || IsGoSpace(s.front()) || IsGoSpace(s.back())) return std::nullopt;
  return ParseSysfsCounter(s);
}

}  // namespace

std::vector<std::string_view> GoFields(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && IsGoSpace(s[i])) ++i;
    const size_t start = i;
    while (i < s.size() && !IsGoSpace(s[i])) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

std::string_view GoTrimSpace(std::string_view s) {
  while (!s.empty() && IsGoSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsGoSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool GoLines::Next(std::string_view& line) {
  constexpr size_t kMaxLine = 64 * 1024 - 1;  // bufio.MaxScanTokenSize less the '\n'.
  if (text_.empty()) return false;
  const size_t newline = text_.find('\n');
  line = text_.substr(0, newline);
  if (line.size() > kMaxLine) {
    too_long_ = true;
    return false;
  }
  text_.remove_prefix(newline == std::string_view::npos ? text_.size() : newline + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return true;
}

std::optional<int64_t> ParseGoIntBase0(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  const auto magnitude = ParseBase0(s);
  if (!magnitude) return std::nullopt;
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (negative) {
    if (*magnitude > kMax + 1) return std::nullopt;
    if (*magnitude == kMax + 1) return std::numeric_limits<int64_t>::min();
    return -static_cast<int64_t>(*magnitude);
  }
  if (*magnitude > kMax) return std::nullopt;
  return static_cast<int64_t>(*magnitude);
}

std::optional<uint32_t> ParseGoUint32(std::string_view s) {
  const auto value = ParseBase0(s);
  if (!value || *value > std::numeric_limits<uint32_t>::max()) return std::nullopt;
  return static_cast<uint32_t>(*value);
}

std::optional<uint64_t> ParseGoHex64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t value = 0;
  for (const char c : s) {
    const char lower = static_cast<char>(c | 0x20);
    uint64_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint64_t>(c - '0');
    } else if (lower >= 'a' && lower <= 'f') {
      digit = static_cast<uint64_t>(lower - 'a' + 10);
    } else {
      return std::nullopt;
    }
    if (value > (std::numeric_limits<uint64_t>::max() >> 4)) return std::nullopt;
    value = value << 4 | digit;
  }
  return value;
}

std::vector<std::string_view> GoLineList(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::string_view line = NextLine(text);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
  }
  return lines;
}

std::optional<uint64_t> ParseGoUint10(std::string_view s) {
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

std::optional<int64_t> ParseGoInt(std::string_view s, int base) {
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
