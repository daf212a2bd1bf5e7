// Allocation-free helpers to walk /proc and /sys text with std::string_view.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals {

// Returns the next line (without '\n') and advances `text` past it.
inline std::string_view NextLine(std::string_view& text) {
  const size_t end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  return line;
}

inline bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Returns the next whitespace-separated field and advances `text`; empty at the end.
inline std::string_view NextField(std::string_view& text) {
  size_t start = 0;
  while (start < text.size() && IsBlank(text[start])) ++start;
  size_t end = start;
  while (end < text.size() && !IsBlank(text[end])) ++end;
  std::string_view field = text.substr(start, end - start);
  text.remove_prefix(end);
  return field;
}

inline std::string_view Trim(std::string_view s) {
  while (!s.empty() && (IsBlank(s.front()) || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (IsBlank(s.back()) || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// Go's strings.TrimSpace for ASCII text (space, \t, \n, \v, \f, \r): how
// prometheus/procfs trims the sysfs attributes node_exporter reads.
inline std::string_view TrimGoSpace(std::string_view s) {
  const auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
  };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// Parses the whole of `s` as an unsigned decimal; nullopt on anything else.
inline std::optional<uint64_t> ParseU64(std::string_view s) {
  uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

inline std::optional<int64_t> ParseI64(std::string_view s) {
  int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

inline std::optional<double> ParseDouble(std::string_view s) {
  double value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

inline bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// "a,b,c": for log lines and messages.
inline std::string Join(const std::vector<std::string>& items, std::string_view separator = ",") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace vitals
