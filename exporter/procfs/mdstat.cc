#include "procfs/mdstat.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>

namespace vitals::procfs {
namespace {

// Length of the Unicode white space character (Go's unicode.IsSpace) at `s[i]` in
// UTF-8, or 0: Go's strings.Fields and TrimSpace split and trim on all of them.
size_t SpaceAt(std::string_view s, size_t i) {
  const auto byte = [&s](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  if (c == 0xC2 && i + 1 < s.size() && (byte(i + 1) == 0x85 || byte(i + 1) == 0xA0)) return 2;
  if (i + 2 >= s.size()) return 0;
  const unsigned b1 = byte(i + 1);
  const unsigned b2 = byte(i + 2);
  if (c == 0xE1 && b1 == 0x9A && b2 == 0x80) return 3;  // U+1680
  if (c == 0xE2 && b1 == 0x80 && (b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF)) {
    return 3;  // U+2000..U+200A, U+2028, U+2029, U+202F
  }
  if (c == 0xE2 && b1 == 0x81 && b2 == 0x9F) return 3;  // U+205F
  if (c == 0xE3 && b1 == 0x80 && b2 == 0x80) return 3;  // U+3000
  return 0;
}

std::vector<std::string_view> Fields(std::string_view s) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < s.size()) {
    size_t space = SpaceAt(s, i);
    if (space > 0) {
      i += space;
      continue;
    }
    const size_t start = i;
    while (i < s.size() && SpaceAt(s, i) == 0) ++i;
    fields.push_back(s.substr(start, i - start));
  }
  return fields;
}

bool IsBlankLine(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t space = SpaceAt(s, i);
    if (space == 0) return false;
    i += space;
  }
  return true;
}

bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

int64_t Count(std::string_view s, std::string_view part) {
  int64_t n = 0;
  for (size_t at = s.find(part); at != std::string_view::npos;
       at = s.find(part, at + part.size())) {
    ++n;
  }
  return n;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Go's strconv.ParseInt(s, 10, 64): an optional sign, then decimal digits only.
std::optional<int64_t> GoParseInt(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  uint64_t magnitude = 0;
  for (char c : s) {
    if (!IsDigit(c)) return std::nullopt;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (magnitude > (UINT64_MAX - digit) / 10) return std::nullopt;
    magnitude = magnitude * 10 + digit;
  }
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  if (magnitude > limit) return std::nullopt;
  return negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
}

// Go's underscoreOK: "_" only between digits (or after a base prefix).
bool UnderscoresOk(std::string_view s) {
  char saw = '^';
  size_t i = 0;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0') {
    const char base = static_cast<char>(s[1] | 0x20);
    if (base == 'b' || base == 'o' || base == 'x') {
      i = 2;
      saw = '0';
      hex = base == 'x';
    }
  }
  for (; i < s.size(); ++i) {
    const char c = s[i];
    const char lower = static_cast<char>(c | 0x20);
    if (IsDigit(c) || (hex && lower >= 'a' && lower <= 'f')) {
      saw = '0';
    } else if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
    } else {
      if (saw == '_') return false;
      saw = '!';
    }
  }
  return saw != '_';
}

// Whether Go's strconv.ParseFloat(s, 64) accepts `s` (only its success matters: the
// sync line's percentage, finish time and speed are not published, but a bad one fails
// the whole file in prometheus/procfs).
bool GoParsesFloat(std::string_view s) {
  std::string_view body = s;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
  std::string lower;
  for (char c : body) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  if (lower == "inf" || lower == "infinity") return true;
  if (s == "nan" || lower == "nan") return s.size() == body.size();  // "NaN" takes no sign
  if (!UnderscoresOk(s)) return false;
  std::string digits;
  for (char c : s) {
    if (c != '_') digits += c;
  }
  const bool hex = lower.size() > 1 && lower[0] == '0' && lower[1] == 'x';
  // Go's syntax: hexadecimal mantissas need a "p" exponent; decimal ones take "e".
  for (char c : lower) {
    const bool ok = IsDigit(c) || c == '.' || c == '_' || c == '+' || c == '-' ||
                    (hex ? (c == 'x' || c == 'p' || (c >= 'a' && c <= 'f')) : c == 'e');
    if (!ok) return false;
  }
  if (hex && !Contains(lower, "p")) return false;
  if (!hex && (Contains(lower, "x") || Contains(lower, "p"))) return false;
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(digits.c_str(), &end);
  if (end != digits.c_str() + digits.size() || digits.empty()) return false;
  // Out of range is an error in Go (ErrRange), an underflow to 0 is not.
  return !std::isinf(value);
}

struct StatusLine {
  int64_t active = 0;
  int64_t total = 0;
  int64_t down = 0;
  int64_t size = 0;
};

// `(\d+) blocks .*\[(\d+)/(\d+)\] \[([U_]+)\]` as Go's FindStringSubmatch reads it:
// the leftmost digit run followed by " blocks ", then (".*" being greedy) the last
// "[t/a] [U_...]" after it. Returns the three captures, or nullopt.
struct StatusMatch {
  std::string_view total;
  std::string_view active;
  std::string_view disks;
};

// The "[t/a] [U_..]" tail at `at`, or nullopt.
std::optional<StatusMatch> MatchTail(std::string_view s, size_t at) {
  if (at >= s.size() || s[at] != '[') return std::nullopt;
  size_t i = at + 1;
  const size_t total_start = i;
  while (i < s.size() && IsDigit(s[i])) ++i;
  if (i == total_start || i >= s.size() || s[i] != '/') return std::nullopt;
  const std::string_view total = s.substr(total_start, i - total_start);
  const size_t active_start = ++i;
  while (i < s.size() && IsDigit(s[i])) ++i;
  if (i == active_start || s.substr(i, 3) != "] [") return std::nullopt;
  const std::string_view active = s.substr(active_start, i - active_start);
  i += 3;
  const size_t disks_start = i;
  while (i < s.size() && (s[i] == 'U' || s[i] == '_')) ++i;
  if (i == disks_start || i >= s.size() || s[i] != ']') return std::nullopt;
  return StatusMatch{total, active, s.substr(disks_start, i - disks_start)};
}

std::optional<StatusMatch> MatchStatus(std::string_view s) {
  for (size_t start = 0; start < s.size(); ++start) {
    if (!IsDigit(s[start]) || (start > 0 && IsDigit(s[start - 1]))) continue;
    size_t end = start;
    while (end < s.size() && IsDigit(s[end])) ++end;
    if (s.substr(end, 8) != " blocks ") continue;
    for (size_t at = s.size(); at-- > end + 8;) {
      if (auto match = MatchTail(s, at)) return match;
    }
  }
  return std::nullopt;
}

Result<StatusLine> EvalStatusLine(std::string_view device_line, std::string_view status_line) {
  const auto fields = Fields(status_line);
  const std::string quoted = "\"" + std::string(status_line) + "\"";
  if (fields.empty()) return Error{"unexpected status line " + quoted};
  const auto size = GoParseInt(fields[0]);
  if (!size) return Error{"unexpected status line " + quoted};
  if (Contains(device_line, "raid0") || Contains(device_line, "linear")) {
    // Only the members have a "[n]" on the device line.
    const int64_t total = Count(device_line, "[");
    return StatusLine{total, total, 0, *size};
  }
  if (Contains(device_line, "inactive")) return StatusLine{0, 0, 0, *size};
  const auto match = MatchStatus(status_line);
  if (!match) return Error{"no [total/active] [U_] in status line " + quoted};
  const auto total = GoParseInt(match->total);
  const auto active = GoParseInt(match->active);
  if (!total || !active) return Error{"unexpected status line " + quoted};
  return StatusLine{*active, *total, Count(match->disks, "_"), *size};
}

// Go's leftmost-first match of `<prefix>(.+)<end>` where (.+) is greedy: the first
// prefix that has an end character after at least one more character, captured up to
// the last such end. `is_end` tells an end at a position.
template <typename IsEnd>
std::optional<std::string_view> MatchGreedy(std::string_view s, std::string_view prefix,
                                            size_t end_size, IsEnd is_end) {
  for (size_t at = s.find(prefix); at != std::string_view::npos; at = s.find(prefix, at + 1)) {
    const size_t from = at + prefix.size();
    for (size_t end = s.size(); end-- > from + 1;) {
      if (end + end_size <= s.size() && is_end(end)) return s.substr(from, end - from);
    }
  }
  return std::nullopt;
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && SpaceAt(s, 0) > 0) s.remove_prefix(SpaceAt(s, 0));
  // Trailing: ASCII and the two-byte spaces cover what a number's neighbourhood holds.
  while (!s.empty()) {
    if (SpaceAt(s, s.size() - 1) == 1) {
      s.remove_suffix(1);
    } else if (s.size() >= 2 && SpaceAt(s, s.size() - 2) == 2) {
      s.remove_suffix(2);
    } else if (s.size() >= 3 && SpaceAt(s, s.size() - 3) == 3) {
      s.remove_suffix(3);
    } else {
      break;
    }
  }
  return s;
}

// evalRecoveryLine: the synced blocks of "(synced/total)"; the percentage, finish
// time and speed must be there and be numbers.
Result<int64_t> EvalRecoveryLine(std::string_view line) {
  const std::string quoted = "\"" + std::string(line) + "\"";
  std::optional<std::string_view> synced;
  for (size_t at = line.find('('); at != std::string_view::npos && !synced;
       at = line.find('(', at + 1)) {
    size_t i = at + 1;
    while (i < line.size() && IsDigit(line[i])) ++i;
    if (i == at + 1 || i >= line.size() || line[i] != '/') continue;
    size_t j = i + 1;
    while (j < line.size() && IsDigit(line[j])) ++j;
    if (j == i + 1 || j >= line.size() || line[j] != ')') continue;
    synced = line.substr(at + 1, i - at - 1);
  }
  if (!synced) return Error{"no (synced/total) in sync line " + quoted};
  const auto blocks = GoParseInt(*synced);
  if (!blocks) return Error{"bad synced blocks in sync line " + quoted};
  const auto pct = MatchGreedy(line, "= ", 1, [&line](size_t k) { return line[k] == '%'; });
  if (!pct || !GoParsesFloat(TrimSpace(*pct))) return Error{"bad percentage in " + quoted};
  const auto finish =
      MatchGreedy(line, "finish=", 3, [&line](size_t k) { return line.substr(k, 3) == "min"; });
  if (!finish || !GoParsesFloat(*finish)) return Error{"bad finish time in " + quoted};
  const auto speed = MatchGreedy(line, "speed=", 1,
                                 [&line](size_t k) { return line[k] >= 'A' && line[k] <= 'Z'; });
  if (!speed || !GoParsesFloat(*speed)) return Error{"bad speed in " + quoted};
  return *blocks;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t end = text.find('\n'); end != std::string_view::npos; end = text.find('\n', start)) {
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  lines.push_back(text.substr(start));
  return lines;
}

bool Skipped(std::string_view line) {
  return IsBlankLine(line) || line[0] == ' ' || line.starts_with("Personalities") ||
         line.starts_with("unused");
}

// One array from its device line at lines[i]; lines[i + 1..i + 3] exist.
Result<MdStat> ParseArray(const std::vector<std::string_view>& lines, size_t i) {
  const std::string_view line = lines[i];
  const auto fields = Fields(line);
  MdStat md;
  md.name = std::string(fields[0]);
  md.activity_state = std::string(fields[2]);
  md.disks_failed = Count(line, "(F)");
  md.disks_spare = Count(line, "(S)");
  const auto status = EvalStatusLine(line, lines[i + 1]);
  if (!status.ok()) return Error{"md device " + md.name + ": " + status.error()};
  md.disks_active = status->active;
  md.disks_total = status->total;
  md.disks_down = status->down;
  md.blocks_total = status->size;
  md.blocks_synced = status->size;
  const std::string_view sync = Contains(lines[i + 2], "bitmap") ? lines[i + 3] : lines[i + 2];
  const bool recovering = Contains(sync, "recovery");
  const bool resyncing = Contains(sync, "resync");
  const bool checking = Contains(sync, "check");
  if (!recovering && !resyncing && !checking) return md;
  md.activity_state = recovering ? "recovering" : checking ? "checking" : "resyncing";
  if (Contains(sync, "PENDING") || Contains(sync, "DELAYED")) {
    md.blocks_synced = 0;
    return md;
  }
  const auto synced = EvalRecoveryLine(sync);
  if (!synced.ok()) return Error{"md device " + md.name + ": " + synced.error()};
  md.blocks_synced = *synced;
  return md;
}

}  // namespace

Result<std::vector<MdStat>> ParseMdStat(std::string_view text) {
  const auto lines = SplitLines(text);
  std::vector<MdStat> arrays;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (Skipped(lines[i])) continue;
    if (Fields(lines[i]).size() < 3) {
      return Error{"line " + std::to_string(i + 1) + ": expected at least 3 fields in \"" +
                   std::string(lines[i]) + "\""};
    }
    if (lines.size() <= i + 3) {
      return Error{"line " + std::to_string(i + 1) + ": too few lines for md device " +
                   std::string(Fields(lines[i])[0])};
    }
    auto md = ParseArray(lines, i);
    if (!md.ok()) return Error{"line " + std::to_string(i + 1) + ": " + md.error()};
    arrays.push_back(std::move(*md));
  }
  return arrays;
}

}  // namespace vitals::procfs
