#include "procfs/pressure.h"

#include <cmath>
#include <string>

#include "base/text.h"

namespace vitals::procfs {
namespace {

Error Malformed(size_t line_number, std::string_view line, std::string_view why) {
  return Error{"malformed pressure line " + std::to_string(line_number) + " (" + std::string(why) +
               "): '" + std::string(line) + "'"};
}

// "avg10=0.12" with key "avg10": the value after '=', or nullopt.
std::optional<std::string_view> ValueOf(std::string_view field, std::string_view key) {
  if (field.size() <= key.size() + 1 || !StartsWith(field, key) || field[key.size()] != '=') {
    return std::nullopt;
  }
  return field.substr(key.size() + 1);
}

std::optional<double> Average(std::string_view field, std::string_view key) {
  const auto text = ValueOf(field, key);
  if (!text) return std::nullopt;
  const auto value = ParseDouble(*text);
  // from_chars accepts "nan" and "inf"; the kernel prints "%lu.%02lu".
  if (!value || !std::isfinite(*value) || *value < 0) return std::nullopt;
  return value;
}

}  // namespace

Result<Pressure> ParsePressure(std::string_view text) {
  if (text.empty()) return Error{"empty pressure file"};
  Pressure pressure;
  size_t line_number = 0;
  while (!text.empty()) {
    const std::string_view line = NextLine(text);
    ++line_number;
    std::string_view rest = line;
    const std::string_view kind = NextField(rest);
    if (kind.empty()) return Malformed(line_number, line, "blank line");
    std::optional<PressureLine>* slot = nullptr;
    if (kind == "some") {
      slot = &pressure.some;
    } else if (kind == "full") {
      slot = &pressure.full;
    } else {
      continue;  // A kind this parser does not know.
    }
    if (slot->has_value()) return Malformed(line_number, line, "repeated");
    const auto avg10 = Average(NextField(rest), "avg10");
    const auto avg60 = Average(NextField(rest), "avg60");
    const auto avg300 = Average(NextField(rest), "avg300");
    if (!avg10 || !avg60 || !avg300) return Malformed(line_number, line, "bad average");
    const auto total_text = ValueOf(NextField(rest), "total");
    const auto total = total_text ? ParseU64(*total_text) : std::nullopt;
    if (!total) return Malformed(line_number, line, "bad total");
    if (!NextField(rest).empty()) return Malformed(line_number, line, "extra field");
    *slot = PressureLine{*avg10, *avg60, *avg300, *total};
  }
  return pressure;
}

}  // namespace vitals::procfs
