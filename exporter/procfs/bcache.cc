#include "procfs/bcache.h"

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "base/text.h"

namespace vitals::procfs {
namespace {

// Go's strconv.ParseFloat(s, 64) for decimal text: optional sign, digits with an
// optional fraction and exponent, "inf"/"nan"; out of range is an error.
std::optional<double> GoParseFloat(std::string_view s) {
  if (s.starts_with('+')) s.remove_prefix(1);
  if (s.empty() || s.front() == '+' || (s.front() == '-' && s.size() > 1 && s[1] == '+')) {
    return std::nullopt;
  }
  if (s.find('(') != std::string_view::npos) return std::nullopt;  // from_chars' "nan(...)".
  double value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

// procfs's parsePseudoFloat: strings.Split on "." and only the first two parts used.
std::optional<double> ParsePseudoFloat(std::string_view s) {
  const size_t dot = s.find('.');
  const auto int_part = GoParseFloat(s.substr(0, dot));
  if (!int_part || dot == std::string_view::npos) return int_part;
  std::string_view frac = s.substr(dot + 1);
  frac = frac.substr(0, frac.find('.'));
  const auto frac_part = GoParseFloat(frac);
  if (!frac_part) return std::nullopt;
  return *int_part + *frac_part / 10.24;
}

double Multiplier(char unit) {
  constexpr std::string_view kUnits = "kMGTPEZY";
  const size_t index = kUnits.find(unit);
  return index == std::string_view::npos ? 0 : std::ldexp(1.0, 10 * static_cast<int>(index + 1));
}

// Go's strings.Fields, last field ("" when none).
std::string_view LastField(std::string_view line) {
  const auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!line.empty() && space(line.back())) line.remove_suffix(1);
  size_t start = line.size();
  while (start > 0 && !space(line[start - 1])) --start;
  return line.substr(start);
}

std::string_view TrimSuffix(std::string_view s, std::string_view suffix) {
  if (s.ends_with(suffix)) s.remove_suffix(suffix.size());
  return s;
}

}  // namespace

std::optional<uint64_t> BcacheDehumanize(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::optional<double> mantissa;
  double multiplier = 1;
  if (static_cast<unsigned char>(text.back()) > '9') {
    multiplier = Multiplier(text.back());
    mantissa = ParsePseudoFloat(text.substr(0, text.size() - 1));
  } else {
    mantissa = GoParseFloat(text);
  }
  if (!mantissa) return std::nullopt;
  const double value = *mantissa * multiplier;
  if (!(value >= 0) || value >= 18446744073709551616.0) return std::nullopt;  // NaN too.
  return static_cast<uint64_t>(value);
}

std::optional<int64_t> BcacheDehumanizeSigned(std::string_view text) {
  const bool negative = text.starts_with('-');
  if (negative) text.remove_prefix(1);
  const auto value = BcacheDehumanize(text);
  if (!value) return std::nullopt;
  // Go's -value on a uint64, then int64(): two's complement.
  return static_cast<int64_t>(negative ? 0 - *value : *value);
}

std::optional<uint64_t> ParseBcacheValue(std::string_view content) {
  if (content.empty()) return std::nullopt;
  content.remove_suffix(1);
  return BcacheDehumanize(content);
}

BcacheWritebackRateDebug ParseBcacheWritebackRateDebug(std::string_view text) {
  BcacheWritebackRateDebug debug;
  while (!text.empty()) {
    std::string_view line = NextLine(text);
    const std::string_view value = LastField(line);
    if (line.starts_with("rate:")) {
      debug.rate = BcacheDehumanize(TrimSuffix(value, "/sec"));
    } else if (line.starts_with("dirty:")) {
      debug.dirty = BcacheDehumanize(value);
    } else if (line.starts_with("target:")) {
      debug.target = BcacheDehumanize(value);
    } else if (line.starts_with("proportional:")) {
      debug.proportional = BcacheDehumanizeSigned(value);
    } else if (line.starts_with("integral:")) {
      debug.integral = BcacheDehumanizeSigned(value);
    } else if (line.starts_with("change:")) {
      debug.change = BcacheDehumanizeSigned(TrimSuffix(value, "/sec"));
    }
  }
  return debug;
}

BcachePriorityStats ParseBcachePriorityStats(std::string_view text) {
  BcachePriorityStats stats;
  while (!text.empty()) {
    const std::string_view line = NextLine(text);
    const auto percent = [&] { return ParseU64(TrimSuffix(LastField(line), "%")); };
    if (line.starts_with("Unused:")) {
      stats.unused_percent = percent();
    } else if (line.starts_with("Metadata:")) {
      stats.metadata_percent = percent();
    }
  }
  return stats;
}

}  // namespace vitals::procfs
