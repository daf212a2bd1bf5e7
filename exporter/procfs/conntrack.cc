#include "procfs/conntrack.h"

#include <charconv>
#include <string>

#include "base/text.h"

namespace vitals::procfs {
namespace {

constexpr size_t kColumns = 17;

Error Malformed(size_t line_number, std::string_view line, std::string_view why) {
  return Error{"malformed nf_conntrack line " + std::to_string(line_number) + " (" +
               std::string(why) + "): '" + std::string(line.substr(0, 200)) + "'"};
}

std::optional<uint64_t> ParseHex(std::string_view s) {
  uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value, 16);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

}  // namespace

Result<ConntrackStat> ParseConntrackStat(std::string_view text) {
  if (text.empty()) return Error{"empty nf_conntrack"};
  const std::string_view header = NextLine(text);
  std::string_view rest = header;
  if (NextField(rest) != "entries") return Malformed(1, header, "header does not start 'entries'");
  size_t names = 1;
  while (!NextField(rest).empty()) ++names;
  if (names != kColumns) return Malformed(1, header, "header has not 17 columns");
  ConntrackStat stat;
  size_t line_number = 1;
  while (!text.empty()) {
    const std::string_view line = NextLine(text);
    ++line_number;
    uint64_t columns[kColumns];
    size_t count = 0;
    rest = line;
    for (std::string_view field = NextField(rest); !field.empty(); field = NextField(rest)) {
      if (count == kColumns) return Malformed(line_number, line, "more than 17 columns");
      const auto value = ParseHex(field);
      if (!value) return Malformed(line_number, line, "not a hexadecimal 64-bit number");
      columns[count++] = *value;
    }
    if (count != kColumns) return Malformed(line_number, line, "fewer than 17 columns");
    stat.found += columns[2];
    stat.invalid += columns[4];
    stat.ignore += columns[5];
    stat.insert += columns[8];
    stat.insert_failed += columns[9];
    stat.drop += columns[10];
    stat.early_drop += columns[11];
    stat.search_restart += columns[16];
    ++stat.cpus;
  }
  return stat;
}

}  // namespace vitals::procfs
