#include "procfs/net_softnet.h"

#include <charconv>
#include <optional>
#include <string>

#include "base/text.h"

namespace vitals::procfs {
namespace {

constexpr size_t kMinColumns = 9;

std::optional<uint32_t> ParseHex32(std::string_view s) {
  if (s.empty() || s.size() > 8) return std::nullopt;
  uint32_t value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value, 16);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

Status Malformed(size_t line_number, std::string_view line, std::string_view why) {
  return Status::Fail("malformed softnet_stat line " + std::to_string(line_number) + " (" +
                      std::string(why) + "): '" + std::string(line) + "'");
}

}  // namespace

Status ParseSoftnet(std::string_view text, std::vector<SoftnetStat>& out) {
  out.clear();
  if (text.empty()) return Status::Fail("empty softnet_stat");
  size_t line_number = 0;
  while (!text.empty()) {
    const std::string_view line = NextLine(text);
    ++line_number;
    std::string_view rest = line;
    SoftnetStat stat;
    size_t columns = 0;
    for (std::string_view column = NextField(rest); !column.empty(); column = NextField(rest)) {
      const auto value = ParseHex32(column);
      if (!value) return Malformed(line_number, line, "a column is not 32-bit hex");
      if (columns == 0) stat.processed = *value;
      if (columns == 1) stat.dropped = *value;
      if (columns == 2) stat.time_squeezed = *value;
      ++columns;
    }
    if (columns < kMinColumns) return Malformed(line_number, line, "fewer than 9 columns");
    out.push_back(stat);
  }
  return Status::Ok();
}

}  // namespace vitals::procfs
