#include "procfs/zoneinfo.h"

#include "procfs/go_text.h"

namespace vitals::procfs {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWord(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
// RE2's \s: [\t\n\f\r ].
bool IsRe2Space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

// Go's nodeZoneRE `(\d+), zone\s+(\w+)` anywhere in the line (leftmost match).
bool MatchNodeZone(std::string_view line, std::string& node, std::string& zone) {
  constexpr std::string_view kMark = ", zone";
  for (size_t at = line.find(kMark); at != std::string_view::npos; at = line.find(kMark, at + 1)) {
    size_t start = at;
    while (start > 0 && IsDigit(line[start - 1])) --start;
    if (start == at) continue;
    size_t i = at + kMark.size();
    const size_t space = i;
    while (i < line.size() && IsRe2Space(line[i])) ++i;
    if (i == space) continue;
    const size_t word = i;
    while (i < line.size() && IsWord(line[i])) ++i;
    if (i == word) continue;
    node = std::string(line.substr(start, at - start));
    zone = std::string(line.substr(word, i - word));
    return true;
  }
  return false;
}

// "protection: (0, 2877, 7826)": the text after the first ':' without its first '(' and
// first ')', trimmed, split at ", ", each a base-10 int64; nullopt if any is not.
std::optional<std::vector<int64_t>> ParseProtection(std::string_view line) {
  const size_t colon = line.find(':');
  std::string values(line.substr(colon + 1, line.find(':', colon + 1) - colon - 1));
  if (const size_t open = values.find('('); open != std::string::npos) values.erase(open, 1);
  if (const size_t close = values.find(')'); close != std::string::npos) values.erase(close, 1);
  std::string_view rest = GoTrimSpace(values);
  std::vector<int64_t> out;
  while (true) {
    const size_t comma = rest.find(", ");
    const auto value = ParseGoInt(rest.substr(0, comma), 10);
    if (!value) return std::nullopt;
    out.push_back(*value);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 2);
  }
  return out;
}

Zoneinfo ParseBlock(std::string_view block) {
  Zoneinfo zone;
  while (true) {
    const size_t end = block.find('\n');
    const std::string_view line = block.substr(0, end);
    if (!MatchNodeZone(line, zone.node, zone.zone) &&
        !GoTrimSpace(line).starts_with("per-node stats")) {
      const auto parts = GoFields(line);
      if (parts.size() >= 2) {
        if (parts[0] == "protection:") {
          if (auto values = ParseProtection(line)) zone.protection = std::move(*values);
        }
        for (size_t k = 0; k < kZoneinfoKeys.size(); ++k) {
          if (parts[0] == kZoneinfoKeys[k]) zone.values[k] = ParseGoInt(parts[1], 0).value_or(0);
        }
      }
    }
    if (end == std::string_view::npos) break;
    block.remove_prefix(end + 1);
  }
  return zone;
}

}  // namespace

std::vector<Zoneinfo> ParseZoneinfo(std::string_view text) {
  std::vector<Zoneinfo> zones;
  constexpr std::string_view kSeparator = "\nNode";
  while (true) {
    const size_t at = text.find(kSeparator);
    zones.push_back(ParseBlock(text.substr(0, at)));
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + kSeparator.size());
  }
  return zones;
}

}  // namespace vitals::procfs
