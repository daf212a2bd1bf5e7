// How prometheus/procfs splits text read with bufio.Scanner and strings.Fields, for
// the parsers that must accept and reject exactly what it does (nfs, xfs).
#pragma once

#include <string_view>
#include <vector>

#include "base/text.h"

namespace vitals::procfs {

inline bool IsGoSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// strings.Fields for ASCII whitespace (the kernel prints no other).
inline std::vector<std::string_view> GoFields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsGoSpace(line[i])) ++i;
    const size_t start = i;
    while (i < line.size() && !IsGoSpace(line[i])) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

// bufio.ScanLines: '\n'-separated, a final '\r' dropped, no empty line after the last
// '\n'.
inline std::vector<std::string_view> GoLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::string_view line = NextLine(text);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
  }
  return lines;
}

}  // namespace vitals::procfs
